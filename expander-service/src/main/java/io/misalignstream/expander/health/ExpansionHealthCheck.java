package io.misalignstream.expander.health;

import io.misalignstream.expander.service.ExpansionService;
import io.misalignstream.expander.service.ObservationService;
import io.misalignstream.resilience.RedisEviction;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN while Redis does not answer (counting, and so forwarding, waits), or while it may evict the
 * expansion state to make room (an {@code allkeys-*} policy with a memory limit: counts and slots would be forgotten).
 * A generator or classifier that does not answer is reported as data but keeps the service ready: originals keep
 * flowing without it.
 */
@Readiness
@ApplicationScoped
public class ExpansionHealthCheck implements HealthCheck {

    private final ObservationService observation;
    private final ExpansionService expansion;
    private final RedisDataSource redis;

    public ExpansionHealthCheck(ObservationService observation, ExpansionService expansion, RedisDataSource redis) {
        this.observation = observation;
        this.expansion = expansion;
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        boolean available = observation.stateAvailable();
        // a Redis that does not answer is not asked again here: that would hold a worker for the client's timeout
        Optional<String> evictionRisk = available ? RedisEviction.stateRisk(() -> redis.execute("INFO", "memory").toString()) : Optional.empty();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("expansion-state")
                .status(available && evictionRisk.isEmpty())
                .withData("generation", expansion.backendsAvailable() ? "answering" : "waiting for the generator or classifier");
        evictionRisk.ifPresent(risk -> response.withData("reason", risk));
        return response.build();
    }
}
