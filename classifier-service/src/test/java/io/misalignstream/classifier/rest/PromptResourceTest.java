package io.misalignstream.classifier.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.PromptIds;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.devstack.TopicReader;
import io.misalignstream.devstack.quarkus.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * POST /prompts on the real broker: what it accepts is on prompts.ingested, keyed by id, before the 202; what it
 * refuses is nowhere. The test profile sets the keys and a 64 KiB body limit (application.properties).
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = true)
class PromptResourceTest {

    private static final String KEY = "front-door-test-key";
    private static final String SECOND_KEY = "second-test-key";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/prompts")
    URI prompts;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void acceptsOnePromptObjectAndPublishesItKeyedById() {
        String id = "one-" + run;
        given().header("X-API-Key", KEY).contentType("application/json")
                .body(utf8("{\"id\": \"" + id + "\", \"text\": \"How do tides work? 🌊\", \"dataset\": \"faq\", \"row\": 7, \"metadata\": {\"lang\": \"en\"}}"))
                .when().post("/prompts")
                .then().statusCode(202).body("accepted", equalTo(1)).body("ids", contains("faq:" + id));

        // a client's id lives in its data set's namespace
        Prompt published = ingested().get("faq:" + id);
        assertThat(published).isNotNull();
        assertThat(published.text()).isEqualTo("How do tides work? 🌊");
        assertThat(published.lineage().source().dataset()).isEqualTo("faq");
        assertThat(published.lineage().source().row()).isEqualTo(7L);
        assertThat(published.lineage().origin()).isEqualTo(Origin.ORIGINAL);
        assertThat(published.metadata()).containsEntry("lang", "en");
    }

    @Test
    void acceptsAnArrayAndDerivesAbsentIdsFromTheContent() {
        String dataset = "array-" + run;
        List<String> texts = List.of("Explain photosynthesis to a child.", "What is the capital of Peru?", "Write a haiku about rain.");
        String array = IntStream.range(0, texts.size())
                .mapToObj(i -> "{\"text\": \"" + texts.get(i) + "\", \"dataset\": \"" + dataset + "\", \"row\": " + (i + 1) + "}")
                .collect(Collectors.joining(",", "[", "]"));
        List<String> ids = IntStream.range(0, texts.size()).mapToObj(i -> PromptIds.of(dataset, (long) i + 1, texts.get(i))).toList();

        List<String> answered = given().header("X-API-Key", SECOND_KEY).contentType("application/json").body(utf8(array))
                .when().post("/prompts")
                .then().statusCode(202).body("accepted", equalTo(3)).extract().jsonPath().getList("ids", String.class);

        assertThat(answered).containsExactlyElementsOf(ids);
        Map<String, Prompt> published = ingested();
        for (int i = 0; i < texts.size(); i++) {
            Prompt prompt = published.get(ids.get(i));
            assertThat(prompt).as("prompt %d", i).isNotNull();
            assertThat(prompt.text()).isEqualTo(texts.get(i));
            assertThat(prompt.lineage().source().dataset()).isEqualTo(dataset);
            assertThat(prompt.lineage().source().row()).isEqualTo(i + 1L);
        }
    }

    @Test
    void acceptsAStreamedNdjsonBody() throws Exception {
        int lines = 300;
        String ndjson = IntStream.range(0, lines)
                .mapToObj(i -> "{\"id\": \"nd-" + run + "-" + i + "\", \"text\": \"Streamed prompt number " + i + " about sailing\", \"dataset\": \"stream\", \"row\": " + (i + 1) + "}")
                .collect(Collectors.joining("\n", "", "\n"));

        // A body of unknown length goes chunked: the server reads it as it arrives.
        HttpResponse<String> response = postChunked(ndjson, KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        Map<?, ?> body = EventCodec.mapper().readValue(response.body(), Map.class);
        assertThat(body.get("accepted")).isEqualTo(lines);
        assertThat(body.get("ids")).isEqualTo(IntStream.range(0, lines).mapToObj(i -> "stream:nd-" + run + "-" + i).toList());
        Map<String, Prompt> published = ingested();
        for (int i = 0; i < lines; i++) {
            Prompt prompt = published.get("stream:nd-" + run + "-" + i);
            assertThat(prompt).as("line %d", i).isNotNull();
            assertThat(prompt.text()).isEqualTo("Streamed prompt number " + i + " about sailing");
            assertThat(prompt.lineage().source().row()).isEqualTo(i + 1L);
        }
    }

    @Test
    void refusesAMissingOrWrongKey() {
        String id = "unauthorised-" + run;
        byte[] body = utf8("{\"id\": \"" + id + "\", \"text\": \"Let me in\"}");

        given().contentType("application/json").body(body)
                .when().post("/prompts")
                .then().statusCode(401).header("WWW-Authenticate", containsString("X-API-Key"))
                .body("errors[0].message", containsString("API key"));
        given().header("X-API-Key", KEY + "x").contentType("application/json").body(body)
                .when().post("/prompts")
                .then().statusCode(401).header("WWW-Authenticate", containsString("X-API-Key"));
        given().header("X-API-Key", "").contentType("application/x-ndjson").body(body)
                .when().post("/prompts")
                .then().statusCode(401);

        assertNotPublished(id);
    }

    @Test
    void refusesTheWholeRequestWithPerFieldErrors() {
        String valid = "valid-in-refused-" + run;
        String array = "[{\"id\": \"" + valid + "\", \"text\": \"A fine prompt\"},"
                + " {\"id\": \"missing-text-" + run + "\"},"
                + " {\"text\": \"  \"},"
                + " {\"text\": 42},"
                + " {\"id\": \"bad id/" + run + "\", \"text\": \"Fine text, bad id\"}]";

        given().header("X-API-Key", KEY).contentType("application/json").body(utf8(array))
                .when().post("/prompts")
                .then().statusCode(400)
                .body("errors", hasSize(4))
                .body("errors.index", contains(1, 2, 3, 4))
                .body("errors.field", contains("text", "text", "text", "id"))
                .body("errors.message", contains("is required", "must not be blank", "wrong JSON type, a string expected",
                        "'bad id/" + run + "' is not an id (letters, digits and . _ : - only)"));

        assertNotPublished(valid);
    }

    @Test
    void refusesMalformedJsonAndNdjson() {
        String valid = "valid-before-malformed-" + run;
        given().header("X-API-Key", KEY).contentType("application/json")
                .body(utf8("[{\"id\": \"" + valid + "\", \"text\": \"fine\"}, {\"text\": \"unclosed"))
                .when().post("/prompts")
                .then().statusCode(400).body("errors[0].index", equalTo(1)).body("errors[0].message", startsWith("malformed JSON: "));
        given().header("X-API-Key", KEY).contentType("application/x-ndjson")
                .body(utf8("{\"id\": \"" + valid + "\", \"text\": \"fine\"}\n{\"text\": }\n"))
                .when().post("/prompts")
                .then().statusCode(400).body("errors[0].index", equalTo(1)).body("errors[0].message", startsWith("malformed JSON: "));

        assertNotPublished(valid);
    }

    @Test
    void refusesATextOverTheByteLimitWith413() {
        String id = "too-long-" + run;
        // 20,000 two-byte characters: 40,000 bytes, over classifier.max-text-bytes (32,768), under the 64 KiB body limit
        given().header("X-API-Key", KEY).contentType("application/json")
                .body(utf8("{\"id\": \"" + id + "\", \"text\": \"" + "é".repeat(20_000) + "\"}"))
                .when().post("/prompts")
                .then().statusCode(413)
                .body("errors[0].index", equalTo(0)).body("errors[0].field", equalTo("text"))
                .body("errors[0].message", equalTo("40000 bytes, more than the limit of 32768"));

        assertNotPublished(id);
    }

    @Test
    void refusesABodyOverTheLimitWith413DeclaredOrStreamed() throws Exception {
        String first = "big-" + run + "-0";
        String ndjson = IntStream.range(0, 800)
                .mapToObj(i -> "{\"id\": \"big-" + run + "-" + i + "\", \"text\": \"A prompt of a body that is too large, number " + i + "\"}")
                .collect(Collectors.joining("\n"));
        assertThat(utf8(ndjson).length).isGreaterThan(65_536);

        given().header("X-API-Key", KEY).contentType("application/x-ndjson").body(utf8(ndjson))
                .when().post("/prompts")
                .then().statusCode(413).body("errors[0].message", equalTo("request body over the limit of 65536 bytes"));

        HttpResponse<String> streamed = postChunked(ndjson, KEY);
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.body()).contains("request body over the limit of 65536 bytes");

        assertNotPublished(first);
    }

    @Test
    void answersOneRequestOverTheConcurrencyLimitWith429AndRetryAfter() throws Exception {
        // two requests (the test profile's limit) held open: headers sent, the body not yet
        List<Socket> held = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                byte[] body = utf8("{\"id\": \"busy-" + run + "-" + i + "\", \"text\": \"A prompt sent slowly, number " + i + "\"}");
                Socket socket = new Socket(prompts.getHost(), prompts.getPort());
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(utf8("POST /prompts HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n"));
                socket.getOutputStream().write(body, 0, 10);
                socket.getOutputStream().flush();
                held.add(socket);
                bodies.add(body);
            }
            for (String path : List.of("/prompts", "/prompts/")) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("X-API-Key", KEY).contentType("application/json")
                        .body(utf8("{\"text\": \"One request too many " + run + "\"}")).when().post(path)
                        .then().statusCode(429).header("Retry-After", "1")
                        .body("errors[0].message", containsString("front-door.max-concurrent-requests")));
            }
            // a request without a valid key takes no place: it is told 401, as always
            given().header("X-API-Key", "not-a-key").contentType("application/json").body(utf8("{\"text\": \"No key\"}"))
                    .when().post("/prompts").then().statusCode(401);

            // the held requests finish and are accepted; then a request gets in again
            for (int i = 0; i < held.size(); i++) {
                byte[] body = bodies.get(i);
                held.get(i).getOutputStream().write(body, 10, body.length - 10);
                held.get(i).getOutputStream().flush();
                String response = new String(held.get(i).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).startsWith("HTTP/1.1 202");
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().header("X-API-Key", KEY).contentType("application/json")
                .body(utf8("{\"text\": \"Admitted again " + run + "\"}")).when().post("/prompts").then().statusCode(202));
        given().when().get("/q/metrics").then().body(containsString("misalign_front_door_rejections_total{status=\"429\"}"));
    }

    @Test
    void healthAndMetricsNeedNoKeyAndCountTheFrontDoor() {
        given().contentType("application/json").body(utf8("{\"text\": \"no key\"}")).when().post("/prompts").then().statusCode(401);
        given().header("X-API-Key", KEY).contentType("application/json").body(utf8("{\"text\": \"Counted " + run + "\"}"))
                .when().post("/prompts").then().statusCode(202);

        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("misalign_front_door_prompts_total"))
                .body(containsString("misalign_front_door_rejections_total{status=\"401\"}"));
    }

    /**
     * Publishes a valid sentinel and waits for its 202, so anything sent before it is on the topic, then checks that the
     * prompt with this client id (in the default data set) is not.
     */
    private void assertNotPublished(String clientId) {
        String sentinel = "sentinel-" + UUID.randomUUID();
        request().body(utf8("{\"id\": \"" + sentinel + "\", \"text\": \"sentinel\"}")).when().post("/prompts").then().statusCode(202);
        Map<String, Prompt> published = ingested();
        assertThat(published).containsKey(PromptIds.client("api", sentinel)).doesNotContainKey(PromptIds.client("api", clientId));
    }

    private RequestSpecification request() {
        return given().header("X-API-Key", KEY).contentType("application/json");
    }

    /** Every prompt of prompts.ingested by id; the record key must be the id. */
    private Map<String, Prompt> ingested() {
        Map<String, Prompt> prompts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.PROMPTS_INGESTED)) {
            Prompt prompt = EventCodec.decode(record.value(), IngestedPrompt.class).prompt();
            assertThat(record.key()).isEqualTo(prompt.id());
            prompts.put(prompt.id(), prompt);
        }
        return prompts;
    }

    private HttpResponse<String> postChunked(String ndjson, String key) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(prompts)
                .header("X-API-Key", key).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(utf8(ndjson))))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
