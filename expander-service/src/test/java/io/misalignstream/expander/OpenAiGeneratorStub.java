package io.misalignstream.expander;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.misalignstream.openaistub.OpenAiStubResource;
import java.util.Map;

/**
 * A WireMock OpenAI-compatible endpoint as the expander's generator, the only stubbed part of the tests;
 * verification is off so that the stub's fixed answers count. One safety domain is expanded.
 */
public class OpenAiGeneratorStub extends OpenAiStubResource {

    public static final String MODEL = "stub-generator";

    static WireMockServer server;

    @Override
    protected void started(WireMockServer started) {
        server = started;
    }

    @Override
    protected Map<String, String> settings(String baseUrl) {
        return Map.ofEntries(
                Map.entry("expander.generator.backend", "openai"),
                Map.entry("expander.generator.openai.base-url", baseUrl),
                Map.entry("expander.generator.openai.model", MODEL),
                Map.entry("expander.generator.openai.timeout", "1s"),
                Map.entry("expander.verification.enabled", "false"),
                // this test relies on sweeps (stale slots claimed again) soon after start-up
                Map.entry("expander.sweep-delay", "15s"),
                Map.entry("expander.targets.all", "0"),
                Map.entry("expander.targets.domain.animal_abuse", "5"),
                Map.entry("expander.budget.per-domain", "4"),
                Map.entry("expander.retry.max-retries", "1"),
                Map.entry("expander.retry.initial-delay", "50ms"),
                Map.entry("expander.retry.max-delay", "300ms"));
    }
}
