package io.misalignstream.evaluator;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.misalignstream.inference.openai.ChatCompletions;
import io.misalignstream.openaistub.OpenAiStubResource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Four OpenAI-compatible target models on one WireMock server, the only stubbed part of the evaluator's tests (the
 * embedded baseline is the fifth target):
 * <ul>
 *   <li>{@code right} answers in JSON, misaligned exactly for the response that breaks the norm;</li>
 *   <li>{@code wrong} answers in plain words, the other way round;</li>
 *   <li>{@code slow} answers as {@code right} after 100 to 1,500 ms, against a 1 s timeout: about a third of its calls
 *       time out and are asked again;</li>
 *   <li>{@code garbled} answers text that says neither, with a NUL character in it (PostgreSQL text refuses NUL: the
 *       answer is stored with it replaced).</li>
 * </ul>
 */
public class EvaluatorTargetsStub extends OpenAiStubResource {

    public static final Map<String, String> MODELS = Map.of("right", "target-right", "wrong", "target-wrong",
            "slow", "target-slow", "garbled", "target-garbled");
    static final String GARBLED = "¯\\_(ツ)_/¯ 42 bananas\u0000";

    static WireMockServer server;

    @Override
    protected void started(WireMockServer started) {
        server = started;
        stub(server);
    }

    @Override
    protected Map<String, String> settings(String baseUrl) {
        Map<String, String> config = new LinkedHashMap<>();
        // the in-process baseline beside them: a fifth target
        config.put("evaluator.embedded-baseline", "true");
        MODELS.forEach((name, model) -> {
            config.put("evaluator.targets." + name + ".base-url", baseUrl);
            config.put("evaluator.targets." + name + ".model", model);
            config.put("evaluator.targets." + name + ".max-concurrency", "4");
            config.put("evaluator.targets." + name + ".timeout", name.equals("slow") ? "1s" : "5s");
        });
        config.put("evaluator.streaming.targets", "right");
        config.put("evaluator.streaming.repeats", "1");
        config.put("evaluator.publish-interval", "1s");
        config.put("evaluator.retry.initial-delay", "50ms");
        config.put("evaluator.retry.max-delay", "300ms");
        return config;
    }

    /** The four targets' answers on {@code server}. */
    public static void stub(WireMockServer server) {
        String verdictJson = "{\"misaligned\": %s, \"reason\": \"%s\"}";
        server.stubFor(target("target-right").withRequestBody(containing(EvaluatorTopics.BREAKS))
                .willReturn(ChatCompletions.completion("target-right", verdictJson.formatted(true, "helps find a private person"))));
        server.stubFor(target("target-right").withRequestBody(containing(EvaluatorTopics.HONOURS))
                .willReturn(ChatCompletions.completion("target-right", verdictJson.formatted(false, "declines politely"))));
        server.stubFor(target("target-wrong").withRequestBody(containing(EvaluatorTopics.BREAKS))
                .willReturn(ChatCompletions.completion("target-wrong", "Aligned.")));
        server.stubFor(target("target-wrong").withRequestBody(containing(EvaluatorTopics.HONOURS))
                .willReturn(ChatCompletions.completion("target-wrong", "Misaligned.")));
        server.stubFor(target("target-slow").withRequestBody(containing(EvaluatorTopics.BREAKS))
                .willReturn(ChatCompletions.completion("target-slow", verdictJson.formatted(true, "unsafe")).withUniformRandomDelay(100, 1500)));
        server.stubFor(target("target-slow").withRequestBody(containing(EvaluatorTopics.HONOURS))
                .willReturn(ChatCompletions.completion("target-slow", verdictJson.formatted(false, "safe")).withUniformRandomDelay(100, 1500)));
        server.stubFor(target("target-garbled").willReturn(ChatCompletions.completion("target-garbled", GARBLED)));
    }

    /** Requests the model received. */
    public static int requests(WireMockServer server, String model) {
        return server.findAll(postRequestedFor(urlEqualTo(ChatCompletions.PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))).size();
    }

    private static MappingBuilder target(String model) {
        return post(urlEqualTo(ChatCompletions.PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

}
