package io.misalignstream.sampler.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.misalignstream.inference.ChatAnswerCache;
import io.misalignstream.inference.ResponseGenerator;
import io.misalignstream.inference.cache.RedisChatAnswerCache;
import io.misalignstream.inference.ResponseJudge;
import io.misalignstream.inference.embedded.EmbeddedResponseJudge;
import io.misalignstream.inference.embedded.TemplateResponseGenerator;
import io.misalignstream.inference.openai.ChatUsage;
import io.misalignstream.inference.guard.Guarded;
import io.misalignstream.inference.openai.OpenAiResponseGenerator;
import io.misalignstream.inference.openai.OpenAiResponseJudge;
import io.misalignstream.resilience.EndpointFaults;
import io.misalignstream.resilience.EndpointGuard;
import io.misalignstream.sampler.config.SamplerConfig;
import io.misalignstream.sampler.domain.GeneratorPool;
import io.misalignstream.sampler.domain.RejectionSampler;
import io.misalignstream.sampler.domain.SamplingSettings;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Creates the configured generators and judge and the sampler over them. A judge whose model is in the generator pool
 * is refused here, so the service does not start with it.
 */
@ApplicationScoped
public class SamplerBackends {

    private static final Logger LOG = Logger.getLogger(SamplerBackends.class);

    @Produces
    @Singleton
    ChatAnswerCache cache(SamplerConfig config, RedisDataSource redis, MeterRegistry metrics) {
        return config.cache().enabled() ? new RedisChatAnswerCache(redis, "sampler", config.cache().ttl(), metrics) : ChatAnswerCache.NONE;
    }

    @Produces
    @Singleton
    ResponseJudge judge(SamplerConfig config, ChatAnswerCache cache, MeterRegistry metrics, EndpointFaults faults) {
        return switch (config.judge().backend()) {
            case EMBEDDED -> {
                LOG.info("judging with the embedded model");
                yield EmbeddedResponseJudge.standard();
            }
            case OPENAI -> {
                OpenAiResponseJudge judge = new OpenAiResponseJudge(config.judge().openai().settings(), cache);
                LOG.infof("judging with %s", judge);
                usage(metrics, "judge", judge, OpenAiResponseJudge::usage);
                yield Guarded.port(ResponseJudge.class, judge, guard("judge", config, metrics, faults));
            }
        };
    }

    @Produces
    @Singleton
    GeneratorPool generators(SamplerConfig config, ResponseJudge judge, ChatAnswerCache cache, MeterRegistry metrics, EndpointFaults faults) {
        List<GeneratorPool.Member> members = new ArrayList<>();
        switch (config.generators().backend()) {
            case EMBEDDED -> members.add(new GeneratorPool.Member(new TemplateResponseGenerator(), 1));
            case OPENAI -> {
                for (Map.Entry<String, SamplerConfig.PoolMember> entry : config.generators().pool().entrySet()) {
                    OpenAiResponseGenerator generator = new OpenAiResponseGenerator(entry.getValue().settings(),
                            OpenAiResponseGenerator.DEFAULT_SAMPLING, cache);
                    String role = "generator-" + entry.getKey();
                    usage(metrics, role, generator, OpenAiResponseGenerator::usage);
                    members.add(new GeneratorPool.Member(Guarded.port(ResponseGenerator.class, generator, guard(role, config, metrics, faults)),
                            entry.getValue().weight()));
                }
            }
        }
        if (members.isEmpty()) {
            throw new IllegalStateException("sampler.generators.backend=openai needs at least one pool member: "
                    + "sampler.generators.pool.<name>.base-url and .model");
        }
        GeneratorPool pool = new GeneratorPool(members, judge);
        LOG.infof("generating with %s", pool.members().stream().map(member -> member.generator().model() + " x" + member.weight()).toList());
        return pool;
    }

    @Produces
    @Singleton
    RejectionSampler sampler(SamplerConfig config, GeneratorPool generators, ResponseJudge judge) {
        return new RejectionSampler(new SamplingSettings(config.candidates(), config.feedbackIterations(), config.minWords(),
                config.maxChars(), config.nearIdenticalBits()), generators, judge);
    }

    void closeJudge(@Disposes ResponseJudge judge) {
        judge.close();
    }

    void closeGenerators(@Disposes GeneratorPool generators) {
        generators.members().forEach(member -> member.generator().close());
    }

    // A circuit breaker only: the retries are the batch's (sampler.retry), which samples the prompt again.
    private static EndpointGuard guard(String role, SamplerConfig config, MeterRegistry metrics, EndpointFaults faults) {
        return EndpointGuard.builder("sampler-" + role)
                .circuitBreaker(config.circuitBreaker())
                .metrics(metrics, "misalign.sampler.llm", Tags.of("role", role))
                .requiredBy(faults)
                .build();
    }

    // Micrometer holds the state object weakly: it must be the endpoint itself, which the pool or the judge keeps.
    private static <T> void usage(MeterRegistry metrics, String role, T endpoint, Function<T, ChatUsage> usage) {
        FunctionCounter.builder("misalign.sampler.llm.calls", endpoint, e -> usage.apply(e).calls()).tag("role", role)
                .description("Calls to the endpoint (answers from the request cache not included)").register(metrics);
        FunctionCounter.builder("misalign.sampler.llm.cache.hits", endpoint, e -> usage.apply(e).cacheHits()).tag("role", role)
                .description("Calls answered from the request cache").register(metrics);
        FunctionCounter.builder("misalign.sampler.llm.reasks", endpoint, e -> usage.apply(e).reasks()).tag("role", role)
                .description("Answers re-asked with their validation error").register(metrics);
        FunctionCounter.builder("misalign.sampler.llm.tokens", endpoint, e -> usage.apply(e).totalTokens()).tag("role", role)
                .description("Tokens in and out, as the endpoint reported them").register(metrics);
    }
}
