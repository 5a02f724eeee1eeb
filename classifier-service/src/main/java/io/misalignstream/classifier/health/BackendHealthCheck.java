package io.misalignstream.classifier.health;

import io.misalignstream.classifier.service.ClassificationService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the labelling backend cannot answer: the stream waits then, and a deployment should see it. */
@Readiness
@ApplicationScoped
public class BackendHealthCheck implements HealthCheck {

    private final ClassificationService service;

    public BackendHealthCheck(ClassificationService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("classifier-backend").status(service.backendAvailable()).build();
    }
}
