package io.misalignstream.dedup.health;

import io.misalignstream.resilience.RedisEviction;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the index cannot be used (Redis down, or its data lost and not yet rebuilt): the
 * service then holds its batch and accepts nothing, and operators see why here. Also not ready while its Redis may
 * evict the index's keys to make room (an {@code allkeys-*} policy with a memory limit, such as a cache's): the
 * index would forget accepted prompts. Liveness is unaffected: restarting would not help.
 */
@Readiness
@ApplicationScoped
public class IndexHealthCheck implements HealthCheck {

    private static final String NAME = "near-duplicate index";

    private final IndexAvailability availability;
    private final RedisDataSource redis;

    public IndexHealthCheck(IndexAvailability availability, RedisDataSource redis) {
        this.availability = availability;
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        IndexAvailability.Problem problem = availability.problem();
        if (problem == null) {
            return RedisEviction.stateRisk(() -> redis.execute("INFO", "memory").toString())
                    .map(risk -> HealthCheckResponse.named(NAME).down().withData("reason", risk).build())
                    .orElseGet(() -> HealthCheckResponse.up(NAME));
        }
        return HealthCheckResponse.named(NAME).down()
                .withData("reason", problem.reason()).withData("since", problem.since().toString()).build();
    }
}
