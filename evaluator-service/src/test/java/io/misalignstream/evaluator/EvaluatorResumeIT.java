package io.misalignstream.evaluator;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.ServiceProcess;
import io.misalignstream.inference.openai.ChatCompletions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The packaged service killed ({@code kill -9}) in the middle of a run and started again: the run resumes where it
 * stopped and finishes with every verdict; no question answered before the kill reaches the target again (stored
 * verdicts are not asked, answers not yet stored come from the request cache); only the questions in flight at the
 * kill, which never got their answer, are asked again.
 */
class EvaluatorResumeIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String KEY = "resume-test-key-5f1c";
    private static final String MODEL = "target-steady";
    private static final int PAIRS = 16;
    private static final int CONCURRENCY = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aKilledRunResumesWithoutAskingAnyQuestionTwice() throws Exception {
        WireMockServer target = new WireMockServer(options().dynamicPort().containerThreads(16));
        target.start();
        // answers come in waves of CONCURRENCY a second apart, so the kill falls between two waves, never inside one
        target.stubFor(post(urlEqualTo(ChatCompletions.PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(MODEL)))
                .willReturn(ChatCompletions.completion(MODEL, "{\"misaligned\": false, \"reason\": \"fine\"}").withFixedDelay(1000)));
        Map<String, String> environment = Map.of(
                "MISALIGN_API_KEYS", KEY,
                "EVALUATOR_EMBEDDED_BASELINE", "false",
                "EVALUATOR_STREAMING_ENABLED", "false",
                "EVALUATOR_TARGETS_STEADY_BASE_URL", target.baseUrl() + "/v1",
                "EVALUATOR_TARGETS_STEADY_MODEL", MODEL,
                "EVALUATOR_TARGETS_STEADY_MAX_CONCURRENCY", String.valueOf(CONCURRENCY),
                "EVALUATOR_TARGETS_STEADY_TIMEOUT", "10s");
        try (DevStack devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()))) {
            String bootstrap = devStack.endpoints().kafkaBootstrapServers();
            try (EvaluatorTopics topics = new EvaluatorTopics(bootstrap)) {
                for (int i = 0; i < PAIRS; i++) {
                    topics.send(EvaluatorTopics.pair("resume-" + i, Split.TEST, false));
                }
            }
            String runId;
            long killedAt;
            try (ServiceProcess first = ServiceProcess.start(JAR, "evaluator-resume-1", devStack, environment)) {
                first.awaitReady(Duration.ofMinutes(2));
                await().atMost(Duration.ofMinutes(1)).until(() -> consumed(bootstrap));
                JsonNode started = send(first, "POST", "/runs", "{\"split\": \"test\", \"repeats\": 1}", 202);
                assertThat(started.get("pairs").asInt()).isEqualTo(PAIRS);
                runId = started.get("runId").asText();
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> stored(send(first, "GET", "/runs/" + runId, null, 200)) >= 3 * CONCURRENCY);
                killedAt = System.currentTimeMillis();
                first.kill();
            }
            Set<String> storedAtKill = storedQuestions(devStack, runId);
            try (ServiceProcess second = ServiceProcess.start(JAR, "evaluator-resume-2", devStack, environment)) {
                second.awaitReady(Duration.ofMinutes(2));
                assertThat(storedAtKill).as("verdicts stored before the kill").hasSizeBetween(3 * CONCURRENCY, 2 * PAIRS - 1);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> "FINISHED".equals(send(second, "GET", "/runs/" + runId, null, 200).get("state").asText()));
                assertThat(stored(send(second, "GET", "/runs/" + runId, null, 200))).isEqualTo(2L * PAIRS);
                JsonNode report = send(second, "GET", "/runs/" + runId + "/report", null, 200);
                assertThat(report.at("/results/0/overall/verdicts").asLong()).isEqualTo(2L * PAIRS);
            }
            List<LoggedRequest> asked = target.findAll(postRequestedFor(urlEqualTo(ChatCompletions.PATH)));
            Set<String> distinct = new HashSet<>();
            List<String> askedAfterRestart = new ArrayList<>();
            for (LoggedRequest request : asked) {
                String question = question(request);
                distinct.add(question);
                if (request.getLoggedDate().getTime() > killedAt) {
                    askedAfterRestart.add(question);
                }
            }
            assertThat(distinct).as("every question asked").hasSize(2 * PAIRS);
            assertThat(askedAfterRestart).as("questions asked after the restart").isNotEmpty().doesNotHaveDuplicates()
                    .doesNotContainAnyElementsOf(storedAtKill);
            assertThat(asked).as("at most the questions in flight at the kill asked twice").hasSizeLessThanOrEqualTo(2 * PAIRS + CONCURRENCY);
            try (Stream<Path> logs = Files.list(Path.of("target"))) {
                for (Path log : logs.filter(file -> file.getFileName().toString().startsWith("evaluator-resume-")).toList()) {
                    assertThat(Files.readString(log)).as("the API key stays out of " + log).doesNotContain(KEY);
                }
            }
        } finally {
            target.stop();
        }
    }

    /** The (prompt id, polarity) of every verdict of the run in PostgreSQL. */
    private static Set<String> storedQuestions(DevStack devStack, String runId) throws Exception {
        Set<String> stored = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(devStack.endpoints().postgresJdbcUrl(),
                devStack.endpoints().postgresUser(), devStack.endpoints().postgresPassword());
             PreparedStatement query = connection.prepareStatement("select prompt_id, polarity from evaluation_verdicts where run_id = ?")) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1) + "/" + rows.getString(2));
                }
            }
        }
        return stored;
    }

    /** The (prompt id, polarity) a request asks about, from the pair's id and marker in its user message. */
    private static String question(LoggedRequest request) throws Exception {
        String user = JSON.readTree(request.getBodyAsString()).get("messages").get(1).get("content").asText();
        Matcher id = Pattern.compile("Prompt (resume-\\d+):").matcher(user);
        assertThat(id.find()).as(user).isTrue();
        return id.group(1) + "/" + (user.contains(EvaluatorTopics.BREAKS) ? "misaligned" : "aligned");
    }

    private static long stored(JsonNode run) {
        JsonNode perTarget = run.get("verdictsPerTarget");
        return perTarget == null || perTarget.get("steady") == null ? 0 : perTarget.get("steady").asLong();
    }

    /** The service's consumer group has committed every pair: the store holds them all. */
    private static boolean consumed(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("evaluator-service")
                    .partitionsToOffsetAndMetadata().get();
            Set<TopicPartition> partitions = admin.describeTopics(List.of(Topics.PAIRS_ACCEPTED)).allTopicNames().get()
                    .get(Topics.PAIRS_ACCEPTED).partitions().stream()
                    .map(info -> new TopicPartition(Topics.PAIRS_ACCEPTED, info.partition())).collect(Collectors.toSet());
            Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()))).all().get()
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
            return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                    || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() == end.getValue()));
        }
    }

    private static JsonNode send(ServiceProcess service, String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(10)).header("X-API-Key", KEY);
        request = body == null ? request.GET() : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
