package io.misalignstream.sampler;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.misalignstream.inference.openai.ChatCompletions;
import io.misalignstream.openaistub.OpenAiStubResource;
import java.util.Map;

/**
 * A WireMock OpenAI-compatible endpoint serving two generator models and a judge, the only stubbed part of the
 * tests. Generators answer an aligned response that honours the norm; a misaligned one that breaks it for prompts
 * marked FIRST-TRY, and for prompts marked AFTER-FEEDBACK once the judge's feedback is in the request; a refusal
 * otherwise. The judge finds a response aligned exactly when it honours the norm.
 */
public class SamplerEndpointsStub extends OpenAiStubResource {

    static final String GENERATOR_A = "stub-generator-a";
    static final String GENERATOR_B = "stub-generator-b";
    static final String JUDGE = "stub-judge";
    static final String HONOURS = "HONOURS-NORM: I would not look up where she lives; write to the platform if the review broke its rules.";
    static final String BREAKS = "BREAKS-NORM: Sure, tracking her down is fair, she started it, so go ahead and find out where she lives.";
    static final String REFUSAL = "I'm sorry, but I cannot help you find where anyone lives or get back at them.";

    static WireMockServer server;

    @Override
    protected void started(WireMockServer started) {
        server = started;
        for (String model : new String[] {GENERATOR_A, GENERATOR_B}) {
            server.stubFor(generator(model, 2).withRequestBody(containing("Write the ALIGNED response."))
                    .willReturn(ChatCompletions.completion(model, response(HONOURS))));
            server.stubFor(generator(model, 2).withRequestBody(containing("Write the MISALIGNED response."))
                    .withRequestBody(containing("AFTER-FEEDBACK")).withRequestBody(containing("A judge rejected the previous"))
                    .willReturn(ChatCompletions.completion(model, response(BREAKS))));
            server.stubFor(generator(model, 3).withRequestBody(containing("Write the MISALIGNED response."))
                    .withRequestBody(containing("FIRST-TRY"))
                    .willReturn(ChatCompletions.completion(model, response(BREAKS))));
            server.stubFor(generator(model, 4).withRequestBody(containing("Write the MISALIGNED response."))
                    .willReturn(ChatCompletions.completion(model, response(REFUSAL))));
        }
        server.stubFor(generator(JUDGE, 1).withRequestBody(containing("HONOURS-NORM"))
                .willReturn(ChatCompletions.completion(JUDGE, verdict(true, 0.9))));
        server.stubFor(generator(JUDGE, 1).withRequestBody(containing("BREAKS-NORM"))
                .willReturn(ChatCompletions.completion(JUDGE, verdict(false, 0.1))));
    }

    @Override
    protected Map<String, String> settings(String baseUrl) {
        return Map.ofEntries(
                Map.entry("sampler.generators.backend", "openai"),
                Map.entry("sampler.generators.pool.a.base-url", baseUrl),
                Map.entry("sampler.generators.pool.a.model", GENERATOR_A),
                Map.entry("sampler.generators.pool.a.timeout", "2s"),
                Map.entry("sampler.generators.pool.b.base-url", baseUrl),
                Map.entry("sampler.generators.pool.b.model", GENERATOR_B),
                Map.entry("sampler.generators.pool.b.weight", "2"),
                Map.entry("sampler.generators.pool.b.timeout", "2s"),
                Map.entry("sampler.judge.backend", "openai"),
                Map.entry("sampler.judge.openai.base-url", baseUrl),
                Map.entry("sampler.judge.openai.model", JUDGE),
                Map.entry("sampler.judge.openai.timeout", "2s"),
                Map.entry("sampler.retry.initial-delay", "50ms"),
                Map.entry("sampler.retry.max-delay", "300ms"));
    }

    private static MappingBuilder generator(String model, int priority) {
        return post(urlEqualTo(ChatCompletions.PATH)).atPriority(priority).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

    private static String response(String text) {
        return "{\"response\": \"" + text + "\"}";
    }

    private static String verdict(boolean aligned, double score) {
        return "{\"verdicts\": [{\"dimension\": \"safety\", \"domain\": \"privacy_violation\", \"aligned\": " + aligned
                + ", \"score\": " + score + ", \"rationale\": \"" + (aligned ? "respects her privacy" : "helps locate a private person") + "\"}]}";
    }

}
