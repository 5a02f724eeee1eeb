package io.misalignstream.expander.health;

import io.misalignstream.expander.service.ExpansionService;
import io.misalignstream.expander.service.ObservationService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN while Redis does not answer (counting, and so forwarding, waits). A generator or classifier
 * that does not answer is reported as data but keeps the service ready: originals keep flowing without it.
 */
@Readiness
@ApplicationScoped
public class ExpansionHealthCheck implements HealthCheck {

    private final ObservationService observation;
    private final ExpansionService expansion;

    public ExpansionHealthCheck(ObservationService observation, ExpansionService expansion) {
        this.observation = observation;
        this.expansion = expansion;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("expansion-state")
                .status(observation.stateAvailable())
                .withData("generation", expansion.backendsAvailable() ? "answering" : "waiting for the generator or classifier")
                .build();
    }
}
