package io.misalignstream.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

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
}
