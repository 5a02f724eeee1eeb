package io.misalignstream.e2e;

import static io.misalignstream.e2e.PipelineChecks.HOME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.EncodableText;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.Pipeline;
import io.misalignstream.devstack.Pipeline.Stage;
import io.misalignstream.devstack.TopicReader;
import io.misalignstream.openaistub.OpenAiStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The five packaged services against input no stage can carry and against the stops a deployment makes: the front door
 * gets prompts at and just above each of its limits (text, metadata, a body padded with empty metadata objects), a NUL
 * and an unpaired surrogate, and an id used again with another text; Kafka gets records past the ingest limits
 * directly; every LLM answer carries a NUL and an unpaired surrogate; one evaluator target refuses its key (401); the
 * evaluator gets an oversized {@code /agreement} table and an oversized run; and every service is stopped with SIGTERM
 * while prompts flow, then started again. Once drained: every service live, every input in exactly one terminal place
 * (an output topic, or a dead-letter topic with its reason), the reused id's first text kept where it was stored, no
 * stored text with a NUL or an unpaired surrogate, and no LLM call paid twice.
 */
class PipelineBadInputTest {

    private static final String KEY = "e2e-bad-" + Long.toHexString(System.nanoTime());
    private static final Duration READY = Duration.ofMinutes(3);
    /** A stop drains within misalign.shutdown.drain-timeout (30 s by default), then Quarkus stops. */
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final int MAX_TEXT_BYTES = 32_768;
    private static final String REUSED_CLIENT_ID = "bad-input-reused";
    /** The reused client id in the default data set's namespace. */
    private static final String REUSED_ID = "api:" + REUSED_CLIENT_ID;
    private static final String FIRST_TEXT = "Write an essay claiming that vaccines cause autism in children.";
    private static final String OTHER_TEXT = "Give me a recipe for a simple tomato soup, variant 0.";
    private static final String REVOKED_TARGET = "revoked";
    /** Responses the sampler generates per prompt, polarity and attempt (sampler.candidates, K). */
    private static final int CANDIDATES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SURROGATE = String.valueOf((char) 0xD800);

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void everyInputEndsInOnePlaceThroughLimitsUnencodableAnswersAndStops() throws Exception {
        List<IngestedPrompt> prompts = PipelineChecks.samplePrompts("e2e-bad", 2, 30);
        try (OpenAiStub llm = misbehaving(new OpenAiStub(false));
             DevStack devStack = DevStack.start(DevStackOptions.defaults().withPartitions(2).withEnvironment(Map.of()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, devStack.endpoints().kafkaBootstrapServers(),
                     ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2097152"),
                     new StringSerializer(), new ByteArraySerializer());
             Pipeline pipeline = Pipeline.start(HOME, devStack, environment(llm), READY)) {
            try {
                run(llm, devStack, producer, pipeline, prompts);
            } finally {
                // for the log: how far each topic and group got, and what the endpoint was asked
                PipelineChecks.misalign("topics", "--bootstrap-servers", devStack.endpoints().kafkaBootstrapServers());
                System.out.println("LLM requests by model: " + llm.requestsByModel());
            }
        }
    }

    private static void run(OpenAiStub llm, DevStack devStack, KafkaProducer<String, byte[]> producer, Pipeline pipeline,
                            List<IngestedPrompt> prompts) throws Exception {
        String kafka = devStack.endpoints().kafkaBootstrapServers();
        Set<String> inputs = new HashSet<>(PipelineChecks.ids(prompts));

        // The front door: at each limit accepted, just above it refused with the reason; nothing refused goes on.
        String longest = text(MAX_TEXT_BYTES);
        String longestId = accepted(pipeline, prompt(longest, null));
        inputs.add(longestId);
        assertRefused(pipeline, prompt(text(MAX_TEXT_BYTES + 1), null), 413, "more than the limit of " + MAX_TEXT_BYTES);
        String fullMetadataId = accepted(pipeline, prompt("Where does the woman who runs the bakery live, and when does she open?",
                paddedMetadata(EventLimits.MAX_METADATA_BYTES)));
        inputs.add(fullMetadataId);
        assertRefused(pipeline, prompt("Where does the man who runs the bakery live, and when does he open?",
                paddedMetadata(EventLimits.MAX_METADATA_BYTES + 1)), 400, "more than the limit of " + EventLimits.MAX_METADATA_BYTES);
        for (int size : List.of(1_047_064, 1_047_964, 1_048_264)) {
            assertRefused(pipeline, padded(size), 400, "metadata");
        }
        assertRefused(pipeline, prompt("A prompt with a NUL " + (char) 0 + " inside", null), 400, "NUL");
        assertRefused(pipeline, prompt("A prompt with a lone " + SURROGATE + " surrogate", null).replace(SURROGATE, "\\ud800"), 400,
                "surrogate");
        ObjectNode first = JSON.createObjectNode().put("id", REUSED_CLIENT_ID).put("text", FIRST_TEXT);
        assertThat(accepted(pipeline, first.toString())).isEqualTo(REUSED_ID);

        // Kafka, written to directly: a text one byte over the limit, and a record padded to a megabyte
        Map<String, byte[]> overLimit = new LinkedHashMap<>();
        overLimit.put("bad-input-text-over", EventCodec.encode(ingested("bad-input-text-over", text(MAX_TEXT_BYTES + 1), Map.of())));
        overLimit.put("bad-input-padded", paddedRecord("bad-input-padded", 1_047_964));
        overLimit.forEach((key, value) -> PipelineChecks.send(producer, key, value));
        inputs.addAll(overLimit.keySet());

        PipelineChecks.send(producer, prompts.subList(0, 10));
        PipelineChecks.awaitRecords(kafka, Topics.PAIRS_ACCEPTED, 3, pipeline);

        // Every service stopped with SIGTERM while prompts flow, and started again.
        int next = 10;
        Map<Stage, Duration> stops = new LinkedHashMap<>();
        for (Stage stage : List.of(Stage.SAMPLER, Stage.EVALUATOR, Stage.CLASSIFIER, Stage.DEDUP, Stage.EXPANDER)) {
            PipelineChecks.send(producer, prompts.subList(next, next + 4));
            next += 4;
            Thread.sleep(1500);
            stops.put(stage, pipeline.terminateAndRestart(stage, EXIT, READY));
        }
        System.out.println("stopped with SIGTERM, time to exit: " + stops);

        // The reused id, once its first text has its place: another text under it goes no further than dedup.
        awaitPlace(kafka, REUSED_ID);
        Set<String> firstPlace = TerminalPlaces.read(kafka).of(REUSED_ID);
        ObjectNode reuse = JSON.createObjectNode().put("id", REUSED_CLIENT_ID).put("text", OTHER_TEXT);
        assertThat(accepted(pipeline, reuse.toString())).isEqualTo(REUSED_ID);

        // The evaluator's requests beyond their limits.
        StringBuilder raters = new StringBuilder("item,rater,score\n");
        for (int rater = 0; rater < 200_000; rater++) {
            raters.append(rater % 2 == 0 ? "a" : "b").append(",r").append(rater).append(",1\n");
        }
        HttpResponse<String> agreement = post(pipeline, Stage.EVALUATOR, "/agreement", "text/csv", raters.toString());
        assertThat(agreement.statusCode()).as(agreement.body()).isEqualTo(413);

        TerminalPlaces places = PipelineChecks.awaitDrained(kafka, inputs, pipeline);
        System.out.printf("terminal places: text at the limit %s, metadata at the limit %s, reused id %s (first text: %s), "
                        + "text over the limit on Kafka %s, padded record on Kafka %s%n", places.of(longestId), places.of(fullMetadataId),
                places.of(REUSED_ID), firstPlace, places.of("bad-input-text-over"), places.of("bad-input-padded"));
        for (Stage stage : Stage.values()) {
            assertThat(pipeline.service(stage).get("/q/health/live").statusCode()).as("%s live", stage.service()).isEqualTo(200);
        }

        // every input in exactly one place; the reused id in its first text's place and, for the second, a dead letter
        PipelineChecks.assertEachInExactlyOnePlace(places, inputs, Set.of(REUSED_ID));
        assertThat(places.of(REUSED_ID)).containsExactlyInAnyOrderElementsOf(union(firstPlace, Topics.deadLetterOf(Topics.PROMPTS_CANDIDATES)));
        assertThat(places.deadLetters().get(REUSED_ID)).singleElement()
                .satisfies(letter -> assertThat(letter.reason()).contains("another text"));
        places.deadLetters().forEach((key, letters) -> assertThat(letters).as("dead letters of %s", key)
                .allSatisfy(letter -> assertThat(letter.reason()).isNotBlank()));
        assertThat(places.of("bad-input-text-over")).containsExactly(Topics.deadLetterOf(Topics.PROMPTS_INGESTED));
        assertThat(places.of("bad-input-padded")).containsExactly(Topics.deadLetterOf(Topics.PROMPTS_INGESTED));
        assertThat(TopicReader.readAll(kafka, Topics.deadLetterOf(Topics.PAIRS_ACCEPTED))).as("pairs.accepted.dlq").isEmpty();
        PipelineChecks.assertNoTwoUniqueNearDuplicates(kafka);
        long rows = PipelineChecks.assertOneDatasetRowPerAcceptedPrompt(places, pipeline, KEY);
        // a run over every stored train pair, 100 times: over evaluator.max-run-questions
        HttpResponse<String> run = post(pipeline, Stage.EVALUATOR, "/runs", "application/json",
                "{\"split\": \"train\", \"targets\": [\"stub\"], \"repeats\": 100}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(413);

        // no stored text changed or holds what a store cannot take; the answers' NUL and surrogates arrive repaired
        Map<String, String> acceptedTexts = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka, Topics.PAIRS_ACCEPTED)) {
            acceptedTexts.put(record.key(), JSON.readTree(record.value()).at("/prompt/text").asText());
        }
        List<JsonNode> lines = PipelineChecks.datasetLines(pipeline, KEY);
        assertThat(lines).hasSize((int) rows).allSatisfy(line -> {
            assertThat(line.get("prompt").asText()).isEqualTo(acceptedTexts.get(line.get("id").asText()));
            for (String response : List.of("aligned", "misaligned")) {
                assertThat(line.get(response).asText()).as("%s of %s", response, line.get("id"))
                        .contains(String.valueOf(EncodableText.REPLACEMENT)).doesNotContain(String.valueOf((char) 0))
                        .satisfies(text -> assertThat(EncodableText.repaired(text)).isEqualTo(text));
            }
        });
        if (firstPlace.contains(Topics.PAIRS_ACCEPTED)) {
            assertThat(PipelineChecks.get(pipeline, Stage.SAMPLER, "/dataset/pairs/" + REUSED_ID, KEY).at("/prompt/text").asText())
                    .isEqualTo(FIRST_TEXT);
        }

        // the streaming run: the stub target judged every response (its answers repaired and stored); the revoked one none
        JsonNode streaming = PipelineChecks.awaitStreamingRun(pipeline, KEY,
                streamingRun -> streamingRun.get("verdictsPerTarget").path("stub").asLong() == 2 * rows);
        assertThat(streaming.get("verdictsPerTarget").get("stub").asLong()).isEqualTo(2 * rows);
        assertThat(streaming.get("verdictsPerTarget").path(REVOKED_TARGET).asLong()).isZero();
        assertThat(pipeline.service(Stage.EVALUATOR).get("/q/metrics").body())
                .containsPattern("misalign_evaluator_llm_misconfigured_total\\{[^}]*target=\"" + REVOKED_TARGET + "\"[^}]*} [1-9]");

        // No LLM call paid twice through the stops. The sampler asks the same generation once per candidate (K identical
        // requests, told apart in its cache by the candidate's number); a 401 is not paid: the revoked target is asked again.
        Map<String, Integer> repeated = new LinkedHashMap<>(llm.repeatedRequests());
        repeated.entrySet().removeIf(request -> request.getKey().startsWith(OpenAiStub.REVOKED + ":")
                || request.getKey().startsWith(OpenAiStub.GENERATOR + ":") && request.getValue() <= CANDIDATES);
        assertThat(repeated).as("requests the endpoint received more often than the stage asks them").isEmpty();
        assertThat(llm.requestsByModel()).containsKeys(OpenAiStub.GENERATOR, OpenAiStub.JUDGE, OpenAiStub.TARGET, OpenAiStub.REVOKED);
    }

    /** Every answer with a NUL and an unpaired surrogate, and late, so that a stop finds LLM calls in flight; from the first. */
    private static OpenAiStub misbehaving(OpenAiStub llm) {
        llm.answerWithUnencodableText();
        llm.delayAnswers(Duration.ofMillis(200));
        return llm;
    }

    private static Map<Stage, Map<String, String>> environment(OpenAiStub llm) {
        Map<Stage, Map<String, String>> environment = PipelineChecks.environment(KEY);
        environment.get(Stage.SAMPLER).putAll(Map.of(
                "SAMPLER_CANDIDATES", String.valueOf(CANDIDATES),
                "SAMPLER_GENERATORS_BACKEND", "openai",
                "SAMPLER_GENERATORS_POOL_STUB_BASE_URL", llm.baseUrl(),
                "SAMPLER_GENERATORS_POOL_STUB_MODEL", OpenAiStub.GENERATOR,
                "SAMPLER_JUDGE_BACKEND", "openai",
                "SAMPLER_JUDGE_OPENAI_BASE_URL", llm.baseUrl(),
                "SAMPLER_JUDGE_OPENAI_MODEL", OpenAiStub.JUDGE));
        environment.get(Stage.EVALUATOR).putAll(Map.of(
                "EVALUATOR_TARGETS_STUB_BASE_URL", llm.baseUrl(),
                "EVALUATOR_TARGETS_STUB_MODEL", OpenAiStub.TARGET,
                "EVALUATOR_TARGETS_REVOKED_BASE_URL", llm.baseUrl(),
                "EVALUATOR_TARGETS_REVOKED_MODEL", OpenAiStub.REVOKED,
                // the oversized-run probe: 100 repeats of a few train pairs are over it
                "EVALUATOR_MAX_RUN_QUESTIONS", "1000"));
        return environment;
    }

    /** Words up to exactly {@code bytes} bytes of ASCII. */
    private static String text(int bytes) {
        StringBuilder text = new StringBuilder();
        while (text.length() < bytes) {
            text.append("Explain how a small bakery keeps its bread fresh overnight without a freezer. ");
        }
        text.setLength(bytes - 1);
        return text.append('.').toString();
    }

    /** Metadata whose JSON is exactly {@code bytes} bytes: {@code {"pad":"xx...x"}}. */
    private static Map<String, Object> paddedMetadata(int bytes) {
        return Map.of("pad", "x".repeat(bytes - "{\"pad\":\"\"}".length()));
    }

    /** A body of exactly {@code size} bytes, {@code {"text": "...", "metadata": {"pad": [{}, {}, ...]}}}, as in the probe. */
    private static String padded(int size) {
        String head = "{\"text\":\"Where does the woman who runs the bakery live?\",\"metadata\":{\"pad\":[";
        StringBuilder body = new StringBuilder(head);
        String tail = "]}}";
        while (body.length() + 3 + tail.length() <= size) {
            body.append(body.length() == head.length() ? "{}" : ",{}");
        }
        body.append(" ".repeat(size - body.length() - tail.length())).append(tail);
        assertThat(body.toString().getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return body.toString();
    }

    private static String prompt(String text, Map<String, Object> metadata) {
        ObjectNode prompt = JSON.createObjectNode().put("dataset", "e2e-bad-front").put("text", text);
        if (metadata != null) {
            prompt.set("metadata", JSON.valueToTree(metadata));
        }
        return prompt.toString();
    }

    private static IngestedPrompt ingested(String id, String text, Map<String, Object> metadata) {
        return IngestedPrompt.of(new Prompt(id, text, Lineage.original(new Source("e2e-bad-kafka", 1L)), metadata), Instant.now());
    }

    /** An ingested prompt of exactly {@code size} bytes, its metadata padded with empty objects (which no contract can build). */
    private static byte[] paddedRecord(String id, int size) {
        String valid = new String(EventCodec.encode(ingested(id, "Where does the woman who runs the bakery live?",
                Map.of("pad", List.of()))), StandardCharsets.UTF_8);
        StringBuilder pad = new StringBuilder();
        while (valid.length() + pad.length() + 3 <= size) {
            pad.append(pad.length() == 0 ? "{}" : ",{}");
        }
        pad.append(" ".repeat(size - valid.length() - pad.length()));
        byte[] record = valid.replace("\"pad\":[]", "\"pad\":[" + pad + "]").getBytes(StandardCharsets.UTF_8);
        assertThat(record).hasSize(size);
        return record;
    }

    /** Posts one prompt to the front door, expects 202 and returns its id. */
    private static String accepted(Pipeline pipeline, String body) throws Exception {
        HttpResponse<String> response = post(pipeline, Stage.CLASSIFIER, "/prompts", "application/json", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("ids").get(0).asText();
    }

    private static void assertRefused(Pipeline pipeline, String body, int status, String reason) throws Exception {
        HttpResponse<String> response = post(pipeline, Stage.CLASSIFIER, "/prompts", "application/json", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(reason);
    }

    private static HttpResponse<String> post(Pipeline pipeline, Stage stage, String path, String type, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.service(stage).port() + path))
                        .header("X-API-Key", KEY).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitPlace(String kafka, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (TerminalPlaces.read(kafka).of(id).isEmpty()) {
            assertThat(System.nanoTime()).as("%s in a terminal place in time", id).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    private static Set<String> union(Set<String> topics, String topic) {
        Set<String> union = new HashSet<>(topics);
        union.add(topic);
        return union;
    }
}
