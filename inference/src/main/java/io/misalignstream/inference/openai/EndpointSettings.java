package io.misalignstream.inference.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One OpenAI-compatible chat endpoint as a role (classifier, generator, judge) uses it. The API key comes
 * from the environment through the caller's configuration and is never logged.
 *
 * @param baseUrl e.g. {@code http://localhost:11434/v1} for Ollama, {@code https://api.openai.com/v1}
 * @param model the model name the server knows
 * @param apiKey sent as a bearer token when present
 * @param timeout longest wait for one answer
 * @param maxConcurrency most requests in flight to this endpoint
 * @param maxRetries retries of the client itself on a transient failure; 0 where a caller's guard retries
 */
public record EndpointSettings(URI baseUrl, String model, Optional<String> apiKey, Duration timeout,
                               int maxConcurrency, int maxRetries) {

    public EndpointSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model: required");
        }
        apiKey = apiKey == null ? Optional.empty() : apiKey.filter(key -> !key.isBlank());
        Objects.requireNonNull(timeout, "timeout");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency: at least 1");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries: 0 or more");
        }
    }

    @Override
    public String toString() {
        return "EndpointSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey.isPresent() ? "***" : "none")
                + ", timeout=" + timeout + ", maxConcurrency=" + maxConcurrency + ", maxRetries=" + maxRetries + "]";
    }
}
