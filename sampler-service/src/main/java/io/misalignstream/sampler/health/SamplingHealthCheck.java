package io.misalignstream.sampler.health;

import io.misalignstream.sampler.service.SamplingService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while a backend cannot answer: the batch in hand waits, and a load balancer or KEDA should know. */
@Readiness
@ApplicationScoped
public class SamplingHealthCheck implements HealthCheck {

    private final SamplingService sampling;

    public SamplingHealthCheck(SamplingService sampling) {
        this.sampling = sampling;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("sampler-backends").status(sampling.backendsAvailable()).build();
    }
}
