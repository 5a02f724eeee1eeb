package io.misalignstream.classifier.health;

import io.misalignstream.classifier.service.ClassificationService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The labelling backend's state, in the data of a check that stays UP: while the backend cannot answer, the stream
 * waits (the held batch is tried again), but the front door still takes prompts, so the service must stay in its
 * Kubernetes Service. The outage shows in {@code misalign_classifier_backend_circuit_state} and the consumer's lag.
 */
@Readiness
@ApplicationScoped
public class BackendHealthCheck implements HealthCheck {

    private final ClassificationService service;

    public BackendHealthCheck(ClassificationService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("classifier-backend").up()
                .withData("labelling", service.backendAvailable() ? "answering" : "unavailable, prompts wait on prompts.ingested").build();
    }
}
