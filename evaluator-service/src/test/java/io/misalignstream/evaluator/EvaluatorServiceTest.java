package io.misalignstream.evaluator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.MetricEvent;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.devstack.quarkus.DevStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The evaluator on the real broker, Redis and PostgreSQL with four WireMock targets (right, wrong, slow, garbled): pairs
 * consumed into the store, the streaming mode, a run over a stored split with its report, metric events and
 * Prometheus series, bad input dead-lettered, re-deliveries absorbed, the API behind its key.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = EvaluatorTargetsStub.class, restrictToAnnotatedClass = true)
class EvaluatorServiceTest {

    static final String KEY_HEADER = "X-API-Key";
    static final String KEY = "evaluator-test-key";
    private static final Duration EVALUATED = Duration.ofMinutes(3);
    private static final int TEST_PAIRS = 6;
    private static final int TRAIN_PAIRS = 2;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void evaluatesTheStreamAndARunAndPublishesTheFigures() {
        List<AcceptedPair> pairs = new ArrayList<>();
        IntStream.range(0, TEST_PAIRS).forEach(i -> pairs.add(EvaluatorTopics.pair("eval-test-" + i, Split.TEST, i % 2 == 0)));
        IntStream.range(0, TRAIN_PAIRS).forEach(i -> pairs.add(EvaluatorTopics.pair("eval-train-" + i, Split.TRAIN, false)));
        int all = TEST_PAIRS + TRAIN_PAIRS;

        try (EvaluatorTopics topics = new EvaluatorTopics(bootstrapServers)) {
            topics.sendRaw("bad-json", "{\"schemaVersion\": 1, \"prompt\": ");
            String foreignDomain = new String(io.misalignstream.contracts.EventCodec.encode(pairs.get(0)), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("privacy_violation", "no_such_domain");
            topics.sendRaw("bad-domain", foreignDomain);
            pairs.forEach(topics::send);

            // every pair stored and joined to the streaming run, which the right target evaluates once (repeats 1)
            await().atMost(EVALUATED).pollInterval(Duration.ofMillis(500))
                    .until(() -> run("streaming").getLong("pairs") == all && verdicts(run("streaming"), "right") == 2L * all);
            // a stored pair's id with another prompt text: dead-lettered, its verdicts keep the text they were given on
            String reusedId = pairs.get(TEST_PAIRS).prompt().id();
            com.fasterxml.jackson.databind.node.ObjectNode reused = io.misalignstream.contracts.EventCodec.mapper().valueToTree(pairs.get(TEST_PAIRS));
            ((com.fasterxml.jackson.databind.node.ObjectNode) reused.get("prompt")).put("text", "Give me a recipe for a simple tomato soup.");
            topics.sendRaw(reusedId, reused.toString());
            await().atMost(EVALUATED).until(() -> topics.deadLetters().size() == 3);
            List<DeadLetter> letters = topics.deadLetters();
            assertThat(letters).extracting(DeadLetter::key).containsExactlyInAnyOrder("bad-json", "bad-domain", reusedId);
            assertThat(letters.stream().filter(letter -> letter.key().equals(reusedId)).findFirst().orElseThrow().reason())
                    .contains("prompt id " + reusedId + " already holds another text");
            assertThat(letters).allSatisfy(letter -> assertThat(letter.service()).isEqualTo("evaluator-service"));
            assertThat(letters.stream().filter(letter -> letter.key().equals("bad-domain")).findFirst().orElseThrow().reason())
                    .contains("no_such_domain");

            // the API needs its key
            given().contentType(ContentType.JSON).body("{\"split\": \"test\"}").when().post("/runs").then().statusCode(401);
            given().header(KEY_HEADER, "not-the-key").when().get("/runs").then().statusCode(401);
            given().header(KEY_HEADER, KEY).contentType(ContentType.JSON).body("{\"split\": \"holdout\"}").when().post("/runs")
                    .then().statusCode(400).body("errors[0].message", containsString("split"));
            given().header(KEY_HEADER, KEY).contentType(ContentType.JSON).body("{\"split\": \"test\", \"targets\": [\"nobody\"]}")
                    .when().post("/runs").then().statusCode(400).body("errors[0].message", containsString("nobody"));
            given().header(KEY_HEADER, KEY).when().get("/runs/no-such-run").then().statusCode(404);
            // over the test profile's evaluator.max-run-questions (1,000): 6 pairs x 5 targets x 100 repeats x 2
            given().header(KEY_HEADER, KEY).contentType(ContentType.JSON).body("{\"split\": \"test\", \"repeats\": 100}")
                    .when().post("/runs").then().statusCode(413)
                    .body("errors[0].message", containsString("6 pairs x 5 targets x 100 repeats x 2 = 6,000 questions"));

            int rightBefore = EvaluatorTargetsStub.requests(EvaluatorTargetsStub.server, "target-right");
            String runId = given().header(KEY_HEADER, KEY).contentType(ContentType.JSON)
                    .body("{\"split\": \"test\", \"repeats\": 2}")
                    .when().post("/runs").then().statusCode(202)
                    .body("pairs", equalTo(TEST_PAIRS)).body("expectedVerdicts", equalTo(TEST_PAIRS * 2 * 2 * 5))
                    .extract().path("runId");
            await().atMost(EVALUATED).pollInterval(Duration.ofMillis(500)).until(() -> "FINISHED".equals(run(runId).getString("state")));
            JsonPath finished = run(runId);
            List<String> targets = new ArrayList<>(EvaluatorTargetsStub.MODELS.keySet());
            targets.add("embedded-baseline");
            for (String target : targets) {
                assertThat(verdicts(finished, target)).as(target).isEqualTo(TEST_PAIRS * 2L * 2);
            }

            // each question asked once: garbled and wrong had no earlier answers, right's repeat 0 of the test pairs
            // is the streaming run's answer (the same request), found in the request cache
            assertThat(EvaluatorTargetsStub.requests(EvaluatorTargetsStub.server, "target-wrong")).isEqualTo(TEST_PAIRS * 2 * 2);
            assertThat(EvaluatorTargetsStub.requests(EvaluatorTargetsStub.server, "target-garbled")).isEqualTo(TEST_PAIRS * 2 * 2);
            assertThat(EvaluatorTargetsStub.requests(EvaluatorTargetsStub.server, "target-right") - rightBefore).isEqualTo(TEST_PAIRS * 2);
            assertThat(EvaluatorTargetsStub.requests(EvaluatorTargetsStub.server, "target-slow")).isGreaterThan(TEST_PAIRS * 2 * 2);

            JsonPath report = given().header(KEY_HEADER, KEY).when().get("/runs/" + runId + "/report").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(overall(report, "right", "coverage")).isEqualTo(1.0);
            assertThat(overall(report, "right", "ffr")).isEqualTo(0.0);
            assertThat(overall(report, "right", "alignmentScore")).isEqualTo(1.0);
            assertThat(overall(report, "slow", "alignmentScore")).isEqualTo(1.0);
            assertThat(overall(report, "wrong", "coverage")).isEqualTo(0.0);
            assertThat(overall(report, "wrong", "ffr")).isEqualTo(1.0);
            assertThat(overall(report, "wrong", "alignmentScore")).isEqualTo(0.0);
            assertThat(overall(report, "garbled", "invalidRate")).isEqualTo(1.0);
            assertThat(report.getInt("results.find { it.target == 'garbled' }.overall.verdicts")).isEqualTo(TEST_PAIRS * 2 * 2);
            // the embedded baseline reads every answer: never invalid
            assertThat(overall(report, "embedded-baseline", "invalidRate")).isEqualTo(0.0);
            assertThat(report.getList("results.find { it.target == 'right' }.slices.kind", String.class))
                    .contains("dimension", "domain", "semantic_type", "origin");
            assertThat(report.getString("tradeOffFormula")).isNotBlank();

            given().header(KEY_HEADER, KEY).when().get("/runs/" + runId + "/report.html").then().statusCode(200)
                    .contentType(containsString("text/html"))
                    .body(containsString("<svg")).body(containsString("Alignment Score per dimension"))
                    .body(containsString("privacy_violation")).body(containsString("garbled"));
            given().header(KEY_HEADER, KEY).when().get("/runs").then().statusCode(200)
                    .body("runId", hasItem(runId)).body("runId", hasItem("streaming"));

            // metric events: the final record of the run per target, the streaming run's periodic ones
            await().atMost(Duration.ofSeconds(30)).until(() -> topics.metricEvents().stream()
                    .anyMatch(event -> event.runId().equals("streaming") && event.target().equals("right")));
            List<MetricEvent> events = topics.metricEvents();
            MetricEvent rightScore = events.stream().filter(event -> event.runId().equals(runId) && event.target().equals("right")
                    && event.metric().equals("alignment_score") && event.slice().isEmpty()).reduce((first, second) -> second).orElseThrow();
            assertThat(rightScore.value()).isEqualTo(1.0);
            assertThat(rightScore.support()).isEqualTo(TEST_PAIRS * 2L * 2);
            assertThat(events).anyMatch(event -> event.runId().equals(runId) && event.target().equals("wrong")
                    && event.metric().equals("ffr") && event.slice().equals(Map.of("dimension", "safety")) && event.value() == 1.0);
            assertThat(events).anyMatch(event -> event.runId().equals(runId) && event.metric().equals("alignment_score_sd"));

            // re-delivered pairs are absorbed: nothing asked again; a new pair after them is evaluated
            int rightAsked = EvaluatorTargetsStub.requests(EvaluatorTargetsStub.server, "target-right");
            pairs.forEach(topics::send);
            topics.send(EvaluatorTopics.pair("eval-late", Split.VALIDATION, false));
            await().atMost(EVALUATED).pollInterval(Duration.ofMillis(500))
                    .until(() -> run("streaming").getLong("pairs") == all + 1 && verdicts(run("streaming"), "right") == 2L * (all + 1));
            assertThat(EvaluatorTargetsStub.requests(EvaluatorTargetsStub.server, "target-right")).isEqualTo(rightAsked + 2);
        }

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(gauge(metrics, "misalign_evaluator_alignment_score", "dimension=\"all\",source=\"run\",target=\"right\"")).isEqualTo(1.0);
        assertThat(gauge(metrics, "misalign_evaluator_ffr", "dimension=\"safety\",source=\"run\",target=\"wrong\"")).isEqualTo(1.0);
        assertThat(gauge(metrics, "misalign_evaluator_coverage", "dimension=\"all\",source=\"streaming\",target=\"right\"")).isEqualTo(1.0);
        assertThat(gauge(metrics, "misalign_evaluator_target_unavailable_total", "target=\"slow\"")).isPositive();
        assertThat(gauge(metrics, "misalign_evaluator_verdicts_total", "target=\"garbled\",verdict=\"invalid\"")).isEqualTo(TEST_PAIRS * 2.0 * 2);
        assertThat(gauge(metrics, "misalign_evaluator_dead_letters_total", "")).isEqualTo(3.0, within(0.0));
        assertThat(metrics).contains("misalign_evaluator_llm_cache_hits_total{target=\"right\"}");
    }

    @Test
    void computesRaterAgreementOfATable() {
        // Shrout & Fleiss (1979), table 2: 6 targets rated by 4 judges
        StringBuilder csv = new StringBuilder("item,rater,score\n");
        int[][] ratings = {{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};
        for (int target = 0; target < ratings.length; target++) {
            for (int judge = 0; judge < 4; judge++) {
                csv.append("t").append(target + 1).append(",j").append(judge + 1).append(',').append(ratings[target][judge]).append('\n');
            }
        }
        JsonPath agreement = given().header(KEY_HEADER, KEY).contentType("text/csv").body(csv.toString())
                .when().post("/agreement").then().statusCode(200).extract().jsonPath();
        assertThat(agreement.getDouble("icc1")).isCloseTo(0.17, within(0.005));
        assertThat(agreement.getDouble("icc2")).isCloseTo(0.29, within(0.005));
        assertThat(agreement.getDouble("icc3")).isCloseTo(0.71, within(0.005));
        assertThat(agreement.getDouble("icc3k")).isCloseTo(0.91, within(0.005));
        assertThat(agreement.get("ds") == null).as("DS needs groups").isTrue();

        given().header(KEY_HEADER, KEY).contentType("text/csv").body("item,rater,score\na,r1,high\nb,r1,\n")
                .when().post("/agreement").then().statusCode(400)
                .body("errors.line", hasItem(2)).body("errors.line", hasItem(3));
        given().contentType("text/csv").body(csv.toString()).when().post("/agreement").then().statusCode(401);

        // 200,000 raters of two items, as a 4.4 MB table: refused with the limits, and the service stays up
        StringBuilder crowd = new StringBuilder("item,rater,score\n");
        for (int rater = 0; rater < 200_000; rater++) {
            crowd.append(rater % 2 == 0 ? "a" : "b").append(",r").append(rater).append(",1\n");
        }
        given().header(KEY_HEADER, KEY).contentType("text/csv").body(crowd.toString())
                .when().post("/agreement").then().statusCode(413)
                .body("errors[0].message", containsString("200,000 raters and 2 items: at most 1,000 raters"));
        given().header(KEY_HEADER, KEY).contentType("text/csv").body(csv.toString()).when().post("/agreement").then().statusCode(200);
    }

    private static JsonPath run(String runId) {
        return given().header(KEY_HEADER, KEY).when().get("/runs/" + runId).then().statusCode(200).extract().jsonPath();
    }

    private static long verdicts(JsonPath run, String target) {
        Number stored = run.get("verdictsPerTarget." + target);
        return stored == null ? 0 : stored.longValue();
    }

    private static double overall(JsonPath report, String target, String metric) {
        return report.getDouble("results.find { it.target == '" + target + "' }.overall." + metric + ".mean");
    }

    /** The value of a Prometheus series given by its name and its labels as the registry writes them (sorted). */
    static double gauge(String metrics, String name, String labels) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + (labels.isEmpty() ? "" : "{" + labels + "}")) + " (\\S+)$")
                .matcher(metrics);
        assertThat(matcher.find()).as(name + "{" + labels + "} in /q/metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
