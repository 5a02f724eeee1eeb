package io.misalignstream.inference.openai;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One OpenAI-compatible endpoint as configuration, the same group wherever a role names one (the classifier, the
 * expander's generator and verifier, the sampler's pool and judge, the evaluator's targets), e.g.
 * {@code sampler.judge.openai.base-url}. A role with defaults of its own overrides the method with them.
 */
public interface OpenAiEndpointConfig {

    /** e.g. {@code http://localhost:11434/v1} (Ollama), {@code http://localhost:8000/v1} (vLLM). */
    URI baseUrl();

    /** The model name the server knows. */
    String model();

    /** From the environment or a mounted file only (e.g. {@code SAMPLER_JUDGE_OPENAI_API_KEY}); never written to logs. */
    Optional<String> apiKey();

    /** Longest wait for one answer. */
    @WithDefault("60s")
    Duration timeout();

    /** Requests in flight to the endpoint at most, per replica. */
    @WithDefault("8")
    int maxConcurrency();

    /** The client's settings; the client does not retry, the caller's guard does, with back-off and a circuit breaker. */
    default EndpointSettings settings() {
        return new EndpointSettings(baseUrl(), model(), apiKey(), timeout(), maxConcurrency(), 0);
    }
}
