package io.misalignstream.classifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

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

    Retry retry();

    CircuitBreaker circuitBreaker();

    enum Backend {
        EMBEDDED, OPENAI
    }

    interface Embedded {

        /** Embedding sessions, each on its own caller thread with one ONNX thread; 0 means one per core. */
        @WithDefault("0")
        int sessions();
    }

    /** The classifier role's OpenAI-compatible endpoint. */
    interface Openai {

        /** e.g. {@code http://localhost:11434/v1} (Ollama), {@code http://localhost:8000/v1} (vLLM). */
        @WithDefault("http://localhost:11434/v1")
        URI baseUrl();

        @WithDefault("mistral:7b-instruct-v0.3-q4_K_M")
        String model();

        /** From the environment ({@code CLASSIFIER_OPENAI_API_KEY}); never written to logs. */
        Optional<String> apiKey();

        /** Longest wait for one answer. */
        @WithDefault("60s")
        Duration timeout();

        /** Requests in flight to the endpoint at most. */
        @WithDefault("8")
        int maxConcurrency();
    }

    /**
     * Retries of one request when the backend is unavailable (timeout, 5xx, 429), with exponential back-off.
     * After the last one the prompt is not dead-lettered: its batch waits and is tried again.
     */
    interface Retry {

        @WithDefault("3")
        int maxRetries();

        @WithDefault("200ms")
        Duration initialDelay();

        /** Longest back-off, also the longest wait of a batch held back while the backend is down. */
        @WithDefault("10s")
        Duration maxDelay();
    }

    /** Stops calling an endpoint that keeps failing, so a down server is probed rather than flooded. */
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
