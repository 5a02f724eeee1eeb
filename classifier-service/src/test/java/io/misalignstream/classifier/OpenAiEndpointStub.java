package io.misalignstream.classifier;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.misalignstream.inference.openai.ChatCompletions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A WireMock OpenAI-compatible endpoint for a {@code @QuarkusTest}, with the service pointed at it: the
 * only stubbed part of the tests, the HTTP boundary to an LLM. Short timeouts and back-off keep the
 * failure scenarios quick.
 */
public class OpenAiEndpointStub implements QuarkusTestResourceLifecycleManager {

    public static final String PATH = ChatCompletions.PATH;
    public static final String MODEL = "stub-instruct";

    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().containerThreads(64).asynchronousResponseEnabled(true));
        server.start();
        return Map.ofEntries(
                Map.entry("classifier.backend", "openai"),
                Map.entry("classifier.openai.base-url", server.baseUrl() + "/v1"),
                Map.entry("classifier.openai.model", MODEL),
                Map.entry("classifier.openai.timeout", "1s"),
                Map.entry("classifier.openai.max-concurrency", "4"),
                Map.entry("classifier.retry.max-retries", "2"),
                Map.entry("classifier.retry.initial-delay", "50ms"),
                Map.entry("classifier.retry.max-delay", "400ms"),
                Map.entry("classifier.circuit-breaker.request-volume-threshold", "4"),
                Map.entry("classifier.circuit-breaker.delay", "1s"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** An OpenAI chat completion from the stub's model whose assistant message is {@code content}. */
    public static ResponseDefinitionBuilder completion(String content) {
        return ChatCompletions.completion(MODEL, content);
    }
}
