package io.misalignstream.classifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.misalignstream.inference.openai.ChatCompletions;
import io.misalignstream.openaistub.OpenAiStubResource;
import java.util.Map;

/** The OpenAI-compatible endpoint as the classifier's backend; each test scripts its answers on {@link #server}. */
public class OpenAiEndpointStub extends OpenAiStubResource {

    public static final String PATH = ChatCompletions.PATH;
    public static final String MODEL = "stub-instruct";

    static WireMockServer server;

    @Override
    protected void started(WireMockServer started) {
        server = started;
    }

    @Override
    protected Map<String, String> settings(String baseUrl) {
        return Map.ofEntries(
                Map.entry("classifier.backend", "openai"),
                Map.entry("classifier.openai.base-url", baseUrl),
                Map.entry("classifier.openai.model", MODEL),
                Map.entry("classifier.openai.timeout", "2s"), // under the outage test's 3 s answers, above a loaded machine's stalls
                Map.entry("classifier.openai.max-concurrency", "4"),
                Map.entry("classifier.retry.max-retries", "2"),
                Map.entry("classifier.retry.initial-delay", "50ms"),
                Map.entry("classifier.retry.max-delay", "400ms"),
                Map.entry("classifier.circuit-breaker.request-volume-threshold", "4"),
                Map.entry("classifier.circuit-breaker.delay", "1s"));
    }

    /** An OpenAI chat completion from the stub's model whose assistant message is {@code content}. */
    public static ResponseDefinitionBuilder completion(String content) {
        return ChatCompletions.completion(MODEL, content);
    }
}
