package io.misalignstream.openaistub;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * An OpenAI-compatible endpoint (WireMock on a free port) for a {@code @QuarkusTest}, the service pointed at it: the
 * HTTP boundary to an LLM, the only part of a service test that is stubbed. A service's test resource extends it, says
 * which settings point its roles at the endpoint, and keeps the server for its tests to script answers on.
 */
public abstract class OpenAiStubResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public final Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().containerThreads(64).asynchronousResponseEnabled(true));
        server.start();
        started(server);
        return settings(server.baseUrl() + "/v1");
    }

    /**
     * The service's settings that point its roles at the endpoint, e.g. {@code classifier.openai.base-url}, and those
     * its tests need (short timeouts and back-off keep the failure scenarios quick).
     *
     * @param baseUrl the endpoint's OpenAI base URL ({@code .../v1})
     */
    protected abstract Map<String, String> settings(String baseUrl);

    /** Told of the started server, before the service starts: keep it for the tests, and stub what every test needs. */
    protected abstract void started(WireMockServer server);

    @Override
    public final void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
