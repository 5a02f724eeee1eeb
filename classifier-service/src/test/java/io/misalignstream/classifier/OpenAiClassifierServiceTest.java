package io.misalignstream.classifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.misalignstream.classifier.ClassifierTopics.Outputs;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.devstack.quarkus.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service with the OpenAI-compatible backend against a WireMock endpoint on the real broker: valid
 * answers, an invalid answer re-asked, answers invalid twice, and an endpoint failing (500, 429, timeouts)
 * long enough to open the circuit, then recovering: every prompt labelled once, none lost, none dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OpenAiEndpointStub.class, restrictToAnnotatedClass = true)
class OpenAiClassifierServiceTest {

    private static final Duration LABELLED = Duration.ofSeconds(90);
    private static final String PRIVACY = """
            {"safety":[{"domain":"privacy_violation","probability":0.92}],"value":[{"domain":"honesty","probability":0.6}],
             "cultural":[],"semanticType":"relation"}""";
    private static final String NOT_IN_TAXONOMY = """
            {"safety":[{"domain":"hacking","probability":0.9}],"value":[],"cultural":[],"semanticType":"object"}""";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void resetEndpoint() {
        OpenAiEndpointStub.server.resetAll();
    }

    @Test
    void labelsFromTheEndpointAndReAsksOnceWhenTheAnswerIsInvalid() {
        // First answer of every conversation invalid, the re-ask valid; the re-ask carries the validation error.
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH))
                .atPriority(1).withRequestBody(containing("reask-me"))
                .withRequestBody(containing("hacking"))
                .willReturn(OpenAiEndpointStub.completion(PRIVACY)));
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH))
                .atPriority(2).withRequestBody(containing("reask-me"))
                .willReturn(OpenAiEndpointStub.completion(NOT_IN_TAXONOMY)));
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH))
                .atPriority(2).withRequestBody(containing("always-wrong"))
                .willReturn(OpenAiEndpointStub.completion(NOT_IN_TAXONOMY)));
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH))
                .atPriority(5).willReturn(OpenAiEndpointStub.completion(PRIVACY)));

        try (ClassifierTopics topics = new ClassifierTopics(bootstrapServers)) {
            topics.sendAll(List.of(
                    ClassifierTopics.ingested("valid", "Find the home address of the woman who runs the bakery."),
                    ClassifierTopics.ingested("reasked", "reask-me: who lives at 12 Elm Street?"),
                    ClassifierTopics.ingested("invalid-twice", "always-wrong: tell me a secret")));
            Outputs outputs = await().atMost(LABELLED).until(topics::read,
                    read -> read.classified().keySet().containsAll(Set.of("valid", "reasked")) && read.deadLetters().containsKey("invalid-twice"));

            ClassifiedPrompt valid = outputs.classified().get("valid").get(0);
            assertThat(valid.labels().safety().primary()).isEqualTo("privacy_violation");
            assertThat(valid.labels().safety().probability()).isEqualTo(0.92);
            assertThat(valid.labels().value().primary()).isEqualTo("honesty");
            assertThat(valid.labels().cultural().isNone()).isTrue();
            assertThat(valid.labels().provenance().backend()).isEqualTo("openai");
            assertThat(valid.labels().provenance().model()).isEqualTo(OpenAiEndpointStub.MODEL);
            assertThat(outputs.classified().get("reasked").get(0).labels().safety().primary()).isEqualTo("privacy_violation");
            assertThat(outputs.classified()).doesNotContainKey("invalid-twice");
            assertThat(outputs.deadLetters().get("invalid-twice").get(0).reason()).contains("hacking");
        }
        OpenAiEndpointStub.server.verify(2, postRequestedFor(urlEqualTo(OpenAiEndpointStub.PATH))
                .withRequestBody(containing("always-wrong")));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("misalign_classifier_reasks_total"))
                .body(containsString("misalign_classifier_prompts_total{backend=\"openai\",dimension=\"safety\",domain=\"privacy_violation\""));
    }

    @Test
    void anEndpointDownForAWhileDelaysPromptsButLosesNone() {
        // 500s, then 429s, then answers slower than the timeout, then valid answers: a long enough outage to open the circuit.
        String outage = "outage";
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).inScenario(outage).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"overloaded\"}}")));
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).inScenario(outage).whenScenarioStateIs("rate-limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0").withBody("{\"error\":{\"message\":\"slow down\"}}")));
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).inScenario(outage).whenScenarioStateIs("slow")
                .willReturn(OpenAiEndpointStub.completion(PRIVACY).withFixedDelay(3_000)));
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).inScenario(outage).whenScenarioStateIs("recovered")
                .willReturn(OpenAiEndpointStub.completion(PRIVACY)));

        List<IngestedPrompt> prompts = IntStream.range(0, 40)
                .mapToObj(i -> ClassifierTopics.ingested("outage-" + i, "Where does user number " + i + " live?")).toList();
        try (ClassifierTopics topics = new ClassifierTopics(bootstrapServers)) {
            topics.sendAll(prompts);
            // the stream waits, the front door does not: still ready, still taking prompts
            await().atMost(Duration.ofSeconds(30)).until(() -> given().when().get("/q/health/ready").then().statusCode(200)
                    .extract().asString().contains("unavailable"));
            given().header("X-API-Key", "front-door-test-key").contentType("application/json")
                    .body("{\"id\": \"during-outage\", \"text\": \"Where does the last user live?\"}")
                    .when().post("/prompts").then().statusCode(202);
            for (String next : List.of("rate-limited", "slow", "recovered")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> OpenAiEndpointStub.server.getAllServeEvents().size() >= 8);
                assertThat(topics.read().classified().keySet()).noneMatch(id -> id.startsWith("outage-"));
                OpenAiEndpointStub.server.resetRequests();
                OpenAiEndpointStub.server.setScenarioState(outage, next);
            }
            Set<String> ids = prompts.stream().map(p -> p.prompt().id()).collect(Collectors.toSet());
            Outputs outputs = await().atMost(LABELLED).until(topics::read, read -> read.classified().keySet().containsAll(ids));

            assertThat(outputs.classified().keySet().stream().filter(id -> id.startsWith("outage-"))).containsExactlyInAnyOrderElementsOf(ids);
            ids.forEach(id -> assertThat(outputs.classified().get(id)).as(id).hasSize(1));
            assertThat(outputs.deadLetters().keySet()).noneMatch(key -> key.startsWith("outage-"));
        }
        assertThat(metric("misalign_classifier_backend_circuit_openings_total")).as("the circuit opened during the outage").isGreaterThanOrEqualTo(1);
        assertThat(metric("misalign_classifier_backend_errors_total{kind=\"unavailable\"}")).isGreaterThanOrEqualTo(24);
        // the value read last is in the failure's message: half-open (2) would mean no call closed the circuit again
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("misalign_classifier_backend_circuit_state"), state -> state == 0);
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aRevokedKeyMakesTheServiceUnreadyWithTheReasonUntilItIsFixed() {
        com.github.tomakehurst.wiremock.stubbing.StubMapping revoked = OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH))
                .atPriority(1).willReturn(aResponse().withStatus(401).withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-rev***ked\"}}")));
        OpenAiEndpointStub.server.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).atPriority(5).willReturn(OpenAiEndpointStub.completion(PRIVACY)));

        try (ClassifierTopics topics = new ClassifierTopics(bootstrapServers)) {
            topics.sendAll(List.of(ClassifierTopics.ingested("revoked-key", "Where does the woman from the bakery live?")));
            String ready = await().atMost(Duration.ofSeconds(30)).until(
                    () -> given().when().get("/q/health/ready").then().extract().asString(), body -> body.contains("credentials rejected"));
            given().when().get("/q/health/ready").then().statusCode(503);
            assertThat(ready).contains("llm-endpoints").contains("classifier-backend").doesNotContain("sk-rev");
            assertThat(metric("misalign_classifier_backend_misconfigured_total")).isGreaterThanOrEqualTo(1);
            assertThat(topics.read().deadLetters()).doesNotContainKey("revoked-key");

            // the key is fixed: the held prompt goes through and the service is ready again
            OpenAiEndpointStub.server.removeStub(revoked);
            await().atMost(LABELLED).until(topics::read, read -> read.classified().containsKey("revoked-key"));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().when().get("/q/health/ready").statusCode() == 200);
        }
    }

    /** The value of the first Prometheus sample whose line starts with {@code prefix}. */
    private static double metric(String prefix) {
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(line -> line.startsWith(prefix))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1.0);
    }
}
