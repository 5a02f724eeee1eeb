package io.misalignstream.dedup.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the index cannot be used (Redis down, or its data lost and not yet rebuilt): the
 * service then holds its batch and accepts nothing, and operators see why here. Liveness is unaffected:
 * restarting would not help.
 */
@Readiness
@ApplicationScoped
public class IndexHealthCheck implements HealthCheck {

    private static final String NAME = "near-duplicate index";

    private final IndexAvailability availability;

    public IndexHealthCheck(IndexAvailability availability) {
        this.availability = availability;
    }

    @Override
    public HealthCheckResponse call() {
        IndexAvailability.Problem problem = availability.problem();
        if (problem == null) {
            return HealthCheckResponse.up(NAME);
        }
        return HealthCheckResponse.named(NAME).down()
                .withData("reason", problem.reason()).withData("since", problem.since().toString()).build();
    }
}
