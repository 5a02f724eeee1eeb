package io.misalignstream.sampler.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.inference.ChatAnswerCache;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * LLM answers in Redis, keyed by the adapters' hash of (model, messages, sampling parameters, seed), shared by every
 * replica: a prompt sampled again after a crash or a re-delivery is answered from here instead of the endpoint. Redis
 * being down costs calls, never prompts: a failed read is a miss, a failed write is skipped.
 */
public final class RedisChatAnswerCache implements ChatAnswerCache {

    static final String PREFIX = "sampler:answer:";
    private static final Logger LOG = Logger.getLogger(RedisChatAnswerCache.class);

    private final ValueCommands<String, String> values;
    private final Duration ttl;
    private final Counter errors;

    public RedisChatAnswerCache(RedisDataSource redis, Duration ttl, MeterRegistry metrics) {
        this.values = redis.value(String.class);
        this.ttl = ttl;
        // Hits and calls are counted by the adapters (ChatUsage), which know a cached answer from a fresh one.
        this.errors = Counter.builder("misalign.sampler.cache.errors")
                .description("Request cache reads and writes that failed (Redis unavailable)").register(metrics);
    }

    @Override
    public Optional<String> find(String key) {
        try {
            return Optional.ofNullable(values.get(PREFIX + key));
        } catch (RuntimeException e) {
            errors.increment();
            LOG.debugf("request cache read failed (%s): asking the endpoint", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void store(String key, String answer) {
        try {
            values.setex(PREFIX + key, ttl.toSeconds(), answer);
        } catch (RuntimeException e) {
            errors.increment();
            LOG.debugf("request cache write failed (%s): the answer is not kept", e.getMessage());
        }
    }
}
