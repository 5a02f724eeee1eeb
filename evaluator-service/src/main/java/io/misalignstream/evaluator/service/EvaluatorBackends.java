package io.misalignstream.evaluator.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import io.misalignstream.inference.ChatAnswerCache;
import io.misalignstream.inference.MisalignmentJudge;
import io.misalignstream.inference.cache.RedisChatAnswerCache;
import io.misalignstream.inference.embedded.EmbeddedMisalignmentJudge;
import io.misalignstream.inference.guard.Guarded;
import io.misalignstream.inference.openai.OpenAiMisalignmentJudge;
import io.misalignstream.resilience.EndpointGuard;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The configured target models by name: each OpenAI-compatible endpoint, and the embedded baseline unless it is off. */
// Created at start-up: loading the embedded model takes seconds, which no event loop may wait for.
@Startup
@ApplicationScoped
public class EvaluatorBackends {

    private static final Logger LOG = Logger.getLogger(EvaluatorBackends.class);

    private final Map<String, MisalignmentJudge> byName;

    public EvaluatorBackends(EvaluatorConfig config, RedisDataSource redis, MeterRegistry metrics) {
        ChatAnswerCache cache = config.cache().enabled()
                ? new RedisChatAnswerCache(redis, "evaluator", config.cache().ttl(), metrics) : ChatAnswerCache.NONE;
        Map<String, MisalignmentJudge> targets = new LinkedHashMap<>();
        config.targets().forEach((name, target) -> {
            OpenAiMisalignmentJudge judge = new OpenAiMisalignmentJudge(target.settings(), cache);
            usage(metrics, name, judge);
            // A circuit breaker only: the engine asks a question again, backing off, until it is answered.
            targets.put(name, Guarded.port(MisalignmentJudge.class, judge, EndpointGuard.builder("evaluator-" + name)
                    .circuitBreaker(config.circuitBreaker())
                    .metrics(metrics, "misalign.evaluator.llm", Tags.of("target", name))
                    .build()));
        });
        if (config.embeddedBaseline()) {
            if (targets.containsKey(EvaluatorConfig.EMBEDDED_BASELINE)) {
                throw new IllegalStateException("evaluator.targets." + EvaluatorConfig.EMBEDDED_BASELINE
                        + ": the name is the embedded baseline's; name the endpoint otherwise or set evaluator.embedded-baseline=false");
            }
            targets.put(EvaluatorConfig.EMBEDDED_BASELINE, EmbeddedMisalignmentJudge.standard());
        }
        if (targets.isEmpty()) {
            throw new IllegalStateException("no target to evaluate: configure evaluator.targets.<name>.base-url and .model, "
                    + "or leave evaluator.embedded-baseline on");
        }
        this.byName = Collections.unmodifiableMap(targets);
        targets.forEach((name, judge) -> LOG.infof("target %s: %s (%d at once)", name, judge.model(), judge.parallelism()));
    }

    public Map<String, MisalignmentJudge> all() {
        return byName;
    }

    public Optional<MisalignmentJudge> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    @PreDestroy
    void close() {
        byName.values().forEach(MisalignmentJudge::close);
    }

    // Micrometer holds the state object weakly: the judge, which this bean keeps.
    private static void usage(MeterRegistry metrics, String target, OpenAiMisalignmentJudge judge) {
        FunctionCounter.builder("misalign.evaluator.llm.calls", judge, j -> j.usage().calls()).tag("target", target)
                .description("Calls to the target's endpoint (answers from the request cache not included)").register(metrics);
        FunctionCounter.builder("misalign.evaluator.llm.cache.hits", judge, j -> j.usage().cacheHits()).tag("target", target)
                .description("Calls answered from the request cache").register(metrics);
        FunctionCounter.builder("misalign.evaluator.llm.tokens", judge, j -> j.usage().totalTokens()).tag("target", target)
                .description("Tokens in and out, as the endpoint reported them").register(metrics);
    }
}
