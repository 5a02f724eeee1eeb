package io.misalignstream.sampler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    Retry retry();

    CircuitBreaker circuitBreaker();

    Dataset dataset();

    /**
     * Keys accepted in the {@code X-API-Key} header of the dataset API, comma-separated; application.properties takes
     * them from {@code MISALIGN_API_KEYS}. Absent or empty: every request is refused with 401.
     */
    Optional<List<String>> apiKeys();

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

    interface PoolMember extends Endpoint {

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
    interface JudgeEndpoint extends Endpoint {

        @Override
        @WithDefault("http://localhost:11434/v1")
        URI baseUrl();

        @Override
        @WithDefault("llama3.1:8b-instruct-q4_K_M")
        String model();
    }

    /** One OpenAI-compatible endpoint. */
    interface Endpoint {

        URI baseUrl();

        String model();

        /** From the environment only; never written to logs. */
        Optional<String> apiKey();

        @WithDefault("60s")
        Duration timeout();

        /** Requests in flight to the endpoint at most. */
        @WithDefault("8")
        int maxConcurrency();
    }

    /** Request cache in Redis: a replay after a crash does not pay for the same call twice. */
    interface Cache {

        @WithDefault("true")
        boolean enabled();

        /** How long an answer is kept. */
        @WithDefault("7d")
        Duration ttl();
    }

    /** Back-off while a backend cannot answer: the batch waits and its prompts are sampled again (the cache answers what was asked). */
    interface Retry {

        @WithDefault("200ms")
        Duration initialDelay();

        @WithDefault("10s")
        Duration maxDelay();
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

    /** One per endpoint (each pool member, the judge): stops calls to an endpoint that keeps failing, for a while. */
    interface CircuitBreaker {

        /** Calls in the rolling window the failure ratio is measured over. */
        @WithDefault("20")
        int requestVolumeThreshold();

        @WithDefault("0.5")
        double failureRatio();

        /** How long the circuit stays open before a trial call. */
        @WithDefault("5s")
        Duration delay();
    }
}
