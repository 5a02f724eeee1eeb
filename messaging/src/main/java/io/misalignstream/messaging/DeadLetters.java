package io.misalignstream.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Makes a service's dead-letter channels: each writes the records it is given to its {@code <topic>.dlq} with the
 * reason, counts them and logs them, in the name of the service ({@code quarkus.application.name}).
 */
@ApplicationScoped
public class DeadLetters {

    private final String service;
    private final MeterRegistry metrics;

    public DeadLetters(@ConfigProperty(name = "quarkus.application.name") String service, MeterRegistry metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    /**
     * @param counter     the counter of what the channel dead-letters, e.g. {@code misalign.dedup.dead.letters}
     * @param description what it counts, e.g. "Candidates sent to prompts.candidates.dlq"
     */
    public DeadLetterChannel channel(Emitter<byte[]> emitter, String counter, String description) {
        return new DeadLetterChannel(emitter, service, Counter.builder(counter).description(description).register(metrics));
    }
}
