package io.misalignstream.classifier.config;

import io.misalignstream.inference.openai.OpenAiEndpointConfig;
import io.misalignstream.resilience.CircuitBreakerConfig;
import io.misalignstream.resilience.RetryConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;

/** The classifier service's settings, {@code classifier.*} in application.properties or {@code CLASSIFIER_*} in the environment. */
@ConfigMapping(prefix = "classifier")
public interface ClassifierConfig {

    /** {@code embedded} (the in-process model, no server needed) or {@code openai} (any OpenAI-compatible endpoint). */
    @WithDefault("embedded")
    Backend backend();

    /** A further domain is labelled when its probability reaches delta; 0.5 as in the papers. */
    @WithDefault("0.5")
    double delta();

    /** Longest prompt text, in UTF-8 bytes; a longer one is dead-lettered. */
    @WithDefault("32768")
    int maxTextBytes();

    Embedded embedded();

    Openai openai();

    /**
     * Retries of one request when the backend is unavailable (timeout, 5xx, 429), with exponential back-off; after the
     * last one the prompt is not dead-lettered: its batch waits, backing off up to {@code max-delay}, and tries again.
     */
    RetryConfig retry();

    /** The backend's circuit breaker. */
    CircuitBreakerConfig circuitBreaker();

    enum Backend {
        EMBEDDED, OPENAI
    }

    interface Embedded {

        /** Embedding sessions, each on its own caller thread with one ONNX thread; 0 means one per core. */
        @WithDefault("0")
        int sessions();

        /**
         * The share of harmful prompts the safety screen should flag, between 0.50 and 0.99: the screen's threshold is
         * the one that flagged this share of its harmful fit prompts, out of fold. Higher catches more and flags more
         * harmless prompts (docs/benchmarks.md gives both at several values).
         */
        @WithDefault("0.93")
        double safetyTargetRecall();
    }

    /** The classifier role's OpenAI-compatible endpoint, {@code classifier.openai.*}. */
    interface Openai extends OpenAiEndpointConfig {

        @Override
        @WithDefault("http://localhost:11434/v1")
        URI baseUrl();

        @Override
        @WithDefault("mistral:7b-instruct-v0.3-q4_K_M")
        String model();
    }
}
