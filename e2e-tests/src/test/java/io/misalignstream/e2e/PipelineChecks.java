package io.misalignstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.PromptIds;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.devstack.Pipeline;
import io.misalignstream.devstack.Pipeline.Stage;
import io.misalignstream.devstack.TopicReader;
import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.PromptSketcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the end-to-end tests feed the pipeline and what they check once it has drained. */
final class PipelineChecks {

    static final Path HOME = Path.of(System.getenv("MISALIGN_HOME"));
    static final DuplicateRule DEDUP_RULE = DuplicateRule.verified(FingerprintConfig.DEFAULT_THRESHOLD, DuplicateRule.DEFAULT_MIN_SIMILARITY);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineChecks() {
    }

    /** {@code count} rows of the project's sample, every sixth from {@code offset} (it is ordered by domain). */
    static List<IngestedPrompt> samplePrompts(String dataset, int offset, int count) throws IOException {
        List<String> lines = Files.readAllLines(HOME.resolve("samples/prompts.csv"), StandardCharsets.UTF_8);
        List<IngestedPrompt> prompts = new ArrayList<>();
        for (int i = 0; prompts.size() < count; i++) {
            String line = lines.get(1 + (offset + 6 * i) % (lines.size() - 1));
            String text = line.startsWith("\"") ? line.substring(1, line.indexOf('"', 1)) : line.substring(0, line.indexOf(','));
            prompts.add(prompt(dataset, 1L + i, text));
        }
        return prompts;
    }

    static IngestedPrompt prompt(String dataset, long row, String text) {
        return IngestedPrompt.of(new Prompt(PromptIds.of(dataset, row, text), text, Lineage.original(new Source(dataset, row)),
                Map.of()), Instant.now());
    }

    static void send(KafkaProducer<String, byte[]> producer, List<IngestedPrompt> prompts) {
        prompts.forEach(prompt -> send(producer, prompt.prompt().id(), EventCodec.encode(prompt)));
        producer.flush();
    }

    static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) {
        producer.send(new ProducerRecord<>(Topics.PROMPTS_INGESTED, key, value));
    }

    static Set<String> ids(List<IngestedPrompt> prompts) {
        Set<String> ids = new HashSet<>();
        prompts.forEach(prompt -> ids.add(prompt.prompt().id()));
        return ids;
    }

    static int count(String kafka, String topic) {
        return TopicReader.readAll(kafka, topic).size();
    }

    static void awaitRecords(String kafka, String topic, int records, Pipeline pipeline) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (count(kafka, topic) < records) {
            assertThat(pipeline.exited()).as("a service exited").isEmpty();
            assertThat(System.nanoTime()).as("%d records on %s in time", records, topic).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    /** Waits until every ingested id and every candidate has a terminal place and nothing has changed for 20 s. */
    static TerminalPlaces awaitDrained(String kafka, Set<String> ingested, Pipeline pipeline) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        TerminalPlaces last = null;
        long stableSince = 0;
        while (true) {
            assertThat(pipeline.exited()).as("a service exited").isEmpty();
            TerminalPlaces places = TerminalPlaces.read(kafka);
            Set<String> open = new HashSet<>(ingested);
            open.addAll(places.candidates());
            open.removeIf(id -> !places.of(id).isEmpty());
            if (open.isEmpty() && places.equals(last)) {
                if (System.nanoTime() - stableSince > Duration.ofSeconds(20).toNanos()) {
                    return places;
                }
            } else {
                stableSince = System.nanoTime();
            }
            last = places;
            assertThat(System.nanoTime()).as("drained in time; open: %s", open).isLessThan(deadline);
            Thread.sleep(2000);
        }
    }

    /** Every ingested prompt and every candidate (originals and synthetic) is in exactly one terminal place. */
    static void assertEachInExactlyOnePlace(TerminalPlaces places, Set<String> ingested) {
        assertEachInExactlyOnePlace(places, ingested, Set.of());
    }

    /** The same, but for the ids in {@code except}: ids sent twice on purpose, each input in a place of its own. */
    static void assertEachInExactlyOnePlace(TerminalPlaces places, Set<String> ingested, Set<String> except) {
        Set<String> expected = new HashSet<>(ingested);
        expected.addAll(places.candidates());
        expected.removeAll(except);
        for (String id : expected) {
            assertThat(places.of(id)).as("terminal places of %s", id).hasSize(1);
        }
    }

    /** No prompt of {@code prompts.unique} is a near-duplicate of another under the dedup stage's default rule. */
    static void assertNoTwoUniqueNearDuplicates(String kafka) {
        PromptSketcher sketcher = new PromptSketcher(FingerprintConfig.DEFAULT);
        Map<String, Candidate> accepted = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka, Topics.PROMPTS_UNIQUE)) {
            UniquePrompt unique = EventCodec.decode(record.value(), UniquePrompt.class);
            accepted.put(unique.prompt().id(), sketcher.candidate(unique.prompt().id(), unique.prompt().text()));
        }
        assertThat(accepted).isNotEmpty();
        List<Candidate> entries = new ArrayList<>(accepted.values());
        for (int i = 0; i < entries.size(); i++) {
            for (int j = i + 1; j < entries.size(); j++) {
                assertThat(DEDUP_RULE.matchesInEitherOrder(entries.get(i), entries.get(j)))
                        .as("%s and %s both unique", entries.get(i).id(), entries.get(j).id()).isFalse();
            }
        }
    }

    /** One dataset row per accepted prompt, however often its pair was delivered; returns the number of rows. */
    static long assertOneDatasetRowPerAcceptedPrompt(TerminalPlaces places, Pipeline pipeline, String apiKey) throws Exception {
        long accepted = places.ids(Topics.PAIRS_ACCEPTED).size();
        assertThat(accepted).isPositive();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long rows;
        do {
            Thread.sleep(500);
            rows = get(pipeline, Stage.SAMPLER, "/dataset/statistics", apiKey).get("pairs").asLong();
        } while (rows != accepted && System.nanoTime() < deadline);
        if (rows != accepted) {
            Set<String> missing = places.ids(Topics.PAIRS_ACCEPTED);
            missing.removeAll(datasetIds(pipeline, apiKey));
            assertThat(rows).as("dataset rows; accepted but not stored: %s", missing).isEqualTo(accepted);
        }
        return rows;
    }

    /** The prompt ids of the dataset, from its export. */
    private static Set<String> datasetIds(Pipeline pipeline, String apiKey) throws Exception {
        Set<String> ids = new HashSet<>();
        datasetLines(pipeline, apiKey).forEach(line -> ids.add(line.get("id").asText()));
        return ids;
    }

    /** Every line of the dataset's export, all splits. */
    static List<JsonNode> datasetLines(Pipeline pipeline, String apiKey) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String split : List.of("train", "validation", "test")) {
            for (String line : request(pipeline, Stage.SAMPLER, "/dataset/export?split=" + split, apiKey).body().split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    /** The packaged command-line tool, as an operator runs it; its output is printed with this test's. */
    static int misalign(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", HOME.resolve("cli/target/misalign-cli.jar").toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("misalign-", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        System.out.println(Files.readString(output));
        Files.delete(output);
        assertThat(finished).as("%s finished", command).isTrue();
        return process.exitValue();
    }

    /** The evaluator's streaming run once {@code done} holds for it, or as it is after two minutes. */
    static JsonNode awaitStreamingRun(Pipeline pipeline, String apiKey, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode run;
        do {
            Thread.sleep(1000);
            run = get(pipeline, Stage.EVALUATOR, "/runs/streaming", apiKey);
        } while (!done.test(run) && System.nanoTime() < deadline);
        return run;
    }

    static JsonNode get(Pipeline pipeline, Stage stage, String path, String apiKey) throws Exception {
        return JSON.readTree(request(pipeline, stage, path, apiKey).body());
    }

    /** A GET of one of the services' endpoints with the API key; anything but 200 fails the test. */
    private static HttpResponse<String> request(Pipeline pipeline, Stage stage, String path, String apiKey) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + pipeline.service(stage).port() + path)).header("X-API-Key", apiKey).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    /**
     * Every stage's environment: the API key, and small expansion targets in one dimension, so that the stream drains
     * in a minute or two on 2 cores.
     */
    static Map<Stage, Map<String, String>> environment(String apiKey) {
        Map<Stage, Map<String, String>> environment = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            environment.put(stage, new HashMap<>(Map.of("MISALIGN_API_KEYS", apiKey)));
        }
        environment.get(Stage.EXPANDER).putAll(Map.of("EXPANDER_TARGETS_ALL", "2", "EXPANDER_BUDGET_PER_DOMAIN", "6",
                "EXPANDER_SWEEP_INTERVAL", "5s", "EXPANDER_SWEEP_DELAY", "20s", "EXPANDER_DIMENSIONS", "safety"));
        return environment;
    }
}
