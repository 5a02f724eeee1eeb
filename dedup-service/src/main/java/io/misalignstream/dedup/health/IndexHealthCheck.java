package io.misalignstream.dedup.health;

import io.misalignstream.dedup.config.DedupConfig;
import io.misalignstream.resilience.RedisEviction;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the index cannot be used (Redis down, or its data lost and not yet rebuilt): the
 * service then holds its batch and accepts nothing, and operators see why here. Also not ready while its Redis may
 * evict the index's keys to make room (an {@code allkeys-*} policy with a memory limit, such as a cache's): the
 * index would forget accepted prompts. Liveness is unaffected: restarting would not help.
 *
 * <p>{@code INFO} goes through the index's own client: asking through another Redis bean would create it lazily here,
 * concurrently with Quarkus' own Redis check creating its client, and that creation is not thread-safe.
 */
@Readiness
@ApplicationScoped
public class IndexHealthCheck implements HealthCheck {

    private static final String NAME = "near-duplicate index";

    private final IndexAvailability availability;
    private final Redis redis;
    private final Duration timeout;

    public IndexHealthCheck(IndexAvailability availability, Redis redis, DedupConfig config) {
        this.availability = availability;
        this.redis = redis;
        this.timeout = config.index().timeout();
    }

    @Override
    public HealthCheckResponse call() {
        IndexAvailability.Problem problem = availability.problem();
        if (problem == null) {
            return RedisEviction.stateRisk(this::infoMemory)
                    .map(risk -> HealthCheckResponse.named(NAME).down().withData("reason", risk).build())
                    .orElseGet(() -> HealthCheckResponse.up(NAME));
        }
        return HealthCheckResponse.named(NAME).down()
                .withData("reason", problem.reason()).withData("since", problem.since().toString()).build();
    }

    private String infoMemory() {
        try {
            return redis.send(Request.cmd(Command.INFO).arg("memory")).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Redis for INFO memory", e);
        } catch (Exception unanswered) {
            throw new IllegalStateException("Redis did not answer INFO memory", unanswered);
        }
    }
}
