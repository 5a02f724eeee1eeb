package io.misalignstream.inference.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.inference.ChatAnswerCache;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * LLM answers in Redis ({@code <service>:answer:<hash>}), keyed by the adapters' hash of (model, messages, sampling
 * parameters, seed), shared by every replica of a service: work done again after a crash or a re-delivery is answered
 * from here instead of the endpoint. Redis being down costs calls, never work: a failed read is a miss, a failed
 * write is skipped. The service provides the Redis client and the meter registry (Quarkus extensions).
 */
public final class RedisChatAnswerCache implements ChatAnswerCache {

    private static final Logger LOG = Logger.getLogger(RedisChatAnswerCache.class);

    private final String prefix;
    private final ValueCommands<String, String> values;
    private final Duration ttl;
    private final Counter errors;

    /** @param service the service's short name ({@code sampler}, {@code evaluator}): the key prefix and the metric's name */
    public RedisChatAnswerCache(RedisDataSource redis, String service, Duration ttl, MeterRegistry metrics) {
        this.prefix = service + ":answer:";
        this.values = redis.value(String.class);
        this.ttl = ttl;
        // Hits and calls are counted by the adapters (ChatUsage), which know a cached answer from a fresh one.
        this.errors = Counter.builder("misalign." + service + ".cache.errors")
                .description("Request cache reads and writes that failed (Redis unavailable)").register(metrics);
    }

    @Override
    public Optional<String> find(String key) {
        try {
            return Optional.ofNullable(values.get(prefix + key));
        } catch (RuntimeException e) {
            errors.increment();
            LOG.debugf("request cache read failed (%s): asking the endpoint", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void store(String key, String answer) {
        try {
            values.setex(prefix + key, ttl.toSeconds(), answer);
        } catch (RuntimeException e) {
            errors.increment();
            LOG.debugf("request cache write failed (%s): the answer is not kept", e.getMessage());
        }
    }
}
