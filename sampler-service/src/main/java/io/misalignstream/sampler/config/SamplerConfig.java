package io.misalignstream.sampler.config;

import io.misalignstream.inference.openai.OpenAiEndpointConfig;
import io.misalignstream.resilience.BackOffConfig;
import io.misalignstream.resilience.CircuitBreakerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The sampler service's settings, {@code sampler.*} in application.properties or {@code SAMPLER_*} in the environment. */
@ConfigMapping(prefix = "sampler")
public interface SamplerConfig {

    /** Responses generated per prompt, polarity and attempt (K); 3 as in the papers. */
    @WithDefault("3")
    int candidates();

    /** Attempts after the first, each with the judge's feedback; 2 as in the papers. */
    @WithDefault("2")
    int feedbackIterations();

    /** A response with fewer words is filtered out before the judge. */
    @WithDefault("5")
    int minWords();

    /** A longer response is filtered out before the judge. */
    @WithDefault("8000")
    int maxChars();

    /** An aligned and a misaligned response at most this many SimHash bits apart are near-identical: no pair. */
    @WithDefault("10")
    int nearIdenticalBits();

    /** Prompts sampled at once in one replica; with endpoints, about their total concurrency over the calls per prompt in flight. */
    @WithDefault("8")
    int concurrency();

    Generators generators();

    Judge judge();

    Cache cache();

    /** Back-off while a backend cannot answer: the batch waits and its prompts are sampled again (the cache answers what was asked). */
    BackOffConfig retry();

    /** One per endpoint (each pool member, the judge): stops calls to an endpoint that keeps failing, for a while. */
    CircuitBreakerConfig circuitBreaker();

    Dataset dataset();


    enum Backend {
        EMBEDDED, OPENAI
    }

    /** The models that write responses. */
    interface Generators {

        /** {@code embedded} (templates, no server) or {@code openai} (the endpoints of {@link #pool()}). */
        @WithDefault("embedded")
        Backend backend();

        /** With {@code openai}: the pool by name, e.g. {@code sampler.generators.pool.llama.model=...}. */
        Map<String, PoolMember> pool();
    }

    interface PoolMember extends OpenAiEndpointConfig {

        /** Shares of the candidates this model writes. */
        @WithDefault("1")
        int weight();
    }

    /** The model that judges; never one of the generators. */
    interface Judge {

        /** {@code embedded} (the in-process embedding model) or {@code openai}. */
        @WithDefault("embedded")
        Backend backend();

        JudgeEndpoint openai();
    }

    /** The judge's endpoint, with the papers' judge as the default model. */
    interface JudgeEndpoint extends OpenAiEndpointConfig {

        @Override
        @WithDefault("http://localhost:11434/v1")
        URI baseUrl();

        @Override
        @WithDefault("llama3.1:8b-instruct-q4_K_M")
        String model();
    }

    /** Request cache in Redis: a replay after a crash does not pay for the same call twice. */
    interface Cache {

        @WithDefault("true")
        boolean enabled();

        /** How long an answer is kept. */
        @WithDefault("7d")
        Duration ttl();
    }

    /** The dataset store: accepted pairs in PostgreSQL, and their export. */
    interface Dataset {

        /** Rows read per query while a split is exported. */
        @WithDefault("500")
        int exportPageSize();

        /** First wait after PostgreSQL failed a write; it doubles up to {@link #retryMaxDelay()} until the write succeeds. */
        @WithDefault("200ms")
        Duration retryInitialDelay();

        @WithDefault("10s")
        Duration retryMaxDelay();

        /** A write that has neither succeeded nor failed after this long is given up and tried again. */
        @WithDefault("30s")
        Duration writeTimeout();
    }
}
