package io.misalignstream.classifier.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.apikeys.ApiKeyRefusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

/** What the front door let in and what it turned away, by HTTP status. */
@ApplicationScoped
public class FrontDoorMetrics {

    private final MeterRegistry registry;
    private final Counter accepted;

    public FrontDoorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("misalign.front.door.prompts")
                .description("Prompts accepted by POST /prompts and acknowledged by Kafka").register(registry);
    }

    public void accepted(int prompts) {
        accepted.increment(prompts);
    }

    void refusedForKey(@Observes ApiKeyRefusal refusal) {
        rejected(Response.Status.UNAUTHORIZED.getStatusCode());
    }

    public void rejected(int status) {
        Counter.builder("misalign.front.door.rejections").tag("status", Integer.toString(status))
                .description("Requests to the front door refused, by HTTP status").register(registry).increment();
    }
}
