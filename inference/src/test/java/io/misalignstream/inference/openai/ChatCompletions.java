package io.misalignstream.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.junit.Stubbing;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * What an OpenAI-compatible server answers, for WireMock stubs of the LLM boundary in this module's tests and
 * in the services' and the CLI's (shared through this module's test jar).
 */
public final class ChatCompletions {

    /** Where OpenAI-compatible servers take chat requests, under a base URL ending in {@code /v1}. */
    public static final String PATH = "/v1/chat/completions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatCompletions() {
    }

    /** A chat completion from {@code model} whose assistant message is {@code content}. */
    public static ResponseDefinitionBuilder completion(String model, String content) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1).put("model", model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        body.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }

    /** Every chat request gets {@code response}. */
    public static void answer(Stubbing server, ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    /** The first chat request gets {@code first}, every later one {@code second}. */
    public static void answerInTurn(Stubbing server, ResponseDefinitionBuilder first, ResponseDefinitionBuilder second) {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("turns").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("second"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("turns").whenScenarioStateIs("second")
                .willReturn(second));
    }

    /** The chat requests the server received, in order. */
    public static List<LoggedRequest> requests(Stubbing server) {
        return server.findAll(postRequestedFor(urlEqualTo(PATH)));
    }

    /** The one chat request the server received, failing the test when there were more or none. */
    public static LoggedRequest onlyRequest(Stubbing server) {
        List<LoggedRequest> requests = requests(server);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
