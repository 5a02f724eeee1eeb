package io.misalignstream.openaistub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.openaistub.OpenAiStub.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiStubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersEachRoleAndServesEachFaultInTurnWhileFaultsAreOn() throws Exception {
        try (OpenAiStub stub = new OpenAiStub(false)) {
            assertThat(content(chat(stub, OpenAiStub.GENERATOR, "Write the MISALIGNED response.")).get("response").asText())
                    .isEqualTo(OpenAiStub.BREAKS);
            JsonNode verdicts = content(chat(stub, OpenAiStub.JUDGE,
                    "Response: " + OpenAiStub.HONOURS + "\n- dimension safety, domain self_harm (self-harm)")).get("verdicts");
            assertThat(verdicts).hasSize(1);
            assertThat(verdicts.get(0).get("aligned").asBoolean()).isTrue();
            assertThat(content(chat(stub, OpenAiStub.TARGET, "anything")).get("misaligned").asBoolean()).isTrue();

            stub.startFaults(Duration.ofMillis(300));
            long started = System.nanoTime();
            HttpResponse<String> late = chat(stub, OpenAiStub.TARGET, "anything");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(content(late).get("misaligned").asBoolean()).isTrue();
            assertThat(chat(stub, OpenAiStub.GENERATOR, "x").statusCode()).isEqualTo(500);
            HttpResponse<String> limited = chat(stub, OpenAiStub.JUDGE, "x");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).contains("1");
            HttpResponse<String> malformed = chat(stub, OpenAiStub.TARGET, "x");
            assertThat(malformed.statusCode()).isEqualTo(200);
            assertThat(parses(malformed.body())).isFalse();
            assertThat(stub.faultsServed()).isEqualTo(Map.of(Fault.TIMEOUT, 1, Fault.SERVER_ERROR, 1, Fault.RATE_LIMITED, 1,
                    Fault.MALFORMED, 1));

            stub.stopFaults();
            assertThat(content(chat(stub, OpenAiStub.GENERATOR, "Write the ALIGNED response.")).get("response").asText())
                    .isEqualTo(OpenAiStub.HONOURS);
            assertThat(stub.faultsServed().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
            assertThat(stub.requestsByModel()).isEqualTo(Map.of(OpenAiStub.GENERATOR, 3, OpenAiStub.JUDGE, 2, OpenAiStub.TARGET, 3));
        }
    }

    @Test
    void answersWithUnencodableTextRefusesTheRevokedModelAndCountsRepeatedRequests() throws Exception {
        try (OpenAiStub stub = new OpenAiStub(false)) {
            stub.answerWithUnencodableText();
            HttpResponse<String> answer = chat(stub, OpenAiStub.GENERATOR, "Write the ALIGNED response.");
            // the body is UTF-8 JSON: the surrogate travels escaped, and comes back as a character when read
            assertThat(answer.body()).contains("\\ud800").doesNotContain(String.valueOf((char) 0xD800));
            assertThat(content(answer).get("response").asText()).isEqualTo(OpenAiStub.HONOURS + OpenAiStub.UNENCODABLE)
                    .contains(String.valueOf((char) 0)).contains(String.valueOf((char) 0xD800));
            assertThat(content(chat(stub, OpenAiStub.TARGET, "anything")).get("reason").asText()).endsWith(OpenAiStub.UNENCODABLE);

            assertThat(chat(stub, OpenAiStub.REVOKED, "anything").statusCode()).isEqualTo(401);
            assertThat(stub.repeatedRequests()).isEmpty();
            chat(stub, OpenAiStub.TARGET, "anything");
            chat(stub, OpenAiStub.TARGET, "anything");
            assertThat(stub.repeatedRequests()).containsOnlyKeys(OpenAiStub.TARGET + ": \"anything\"").containsValue(3);
        }
    }

    @Test
    void delaysEveryAnswerWhenAsked() throws Exception {
        try (OpenAiStub stub = new OpenAiStub(false)) {
            stub.delayAnswers(Duration.ofMillis(300));
            long started = System.nanoTime();
            assertThat(content(chat(stub, OpenAiStub.TARGET, "anything")).get("misaligned").asBoolean()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void failsTheFirstGeneratorRequestOnlyWhenAsked() throws Exception {
        try (OpenAiStub stub = new OpenAiStub(true)) {
            assertThat(chat(stub, OpenAiStub.GENERATOR, "x").statusCode()).isEqualTo(503);
            assertThat(chat(stub, OpenAiStub.GENERATOR, "x").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> chat(OpenAiStub stub, String model, String user) throws Exception {
        String body = JSON.createObjectNode().put("model", model).set("messages", JSON.createArrayNode()
                .add(JSON.createObjectNode().put("role", "user").put("content", user))).toString();
        return http.send(HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The assistant message of a chat completion, itself JSON. */
    private static JsonNode content(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(JSON.readTree(response.body()).at("/choices/0/message/content").asText());
    }

    private static boolean parses(String body) {
        try {
            JSON.readTree(body);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
