package io.misalignstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code misalign ingest} and {@code misalign topics} against a real Kafka broker. */
class IngestIntegrationTest {

    /** CI runs from a fresh clone with the shared data folder beside it. */
    private static final Path SHARED_PROMPTS = Path.of("..", "..", "shared", "data", "awesome-chatgpt-prompts", "prompts.csv");

    private static DevStack devStack;
    private static String kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() {
        devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
        kafka = devStack.endpoints().kafkaBootstrapServers();
    }

    @AfterAll
    static void stopServers() {
        devStack.close();
    }

    @Test
    void theSharedPromptFileLandsWholeAndAgainWithTheSameIds() {
        assumeTrue(Files.exists(SHARED_PROMPTS), "the shared data folder is beside the checkout in CI");
        String dataset = "awesome-" + UUID.randomUUID();

        assertThat(ingest(SHARED_PROMPTS, dataset, "--text-column", "prompt")).isZero();
        assertThat(Files.exists(dir.resolve("rejects.jsonl"))).as("rejects: %s", rejects()).isFalse();
        List<IngestedPrompt> first = consume(dataset);
        assertThat(first).hasSize(1_529);
        Set<String> firstIds = ids(first);
        assertThat(firstIds).hasSize(1_529);

        assertThat(ingest(SHARED_PROMPTS, dataset, "--text-column", "prompt")).isZero();
        List<IngestedPrompt> both = consume(dataset);
        assertThat(both).hasSize(3_058);
        assertThat(ids(both)).isEqualTo(firstIds);
        assertThat(Files.exists(dir.resolve("rejects.jsonl"))).as("rejects: %s", rejects()).isFalse();
    }

    @Test
    void aFileWithBrokenRowsIngestsTheGoodOnesAndRejectsEachBadOneWithItsReason() throws Exception {
        String dataset = "broken-" + UUID.randomUUID();
        Path file = dir.resolve("broken.csv");
        List<byte[]> rows = List.of(
                "prompt,locale\n".getBytes(StandardCharsets.UTF_8),
                "Should I tell my friend her cooking is bland?,en-US\n".getBytes(StandardCharsets.UTF_8),
                "\"Bad quoting\"trailing,en-US\n".getBytes(StandardCharsets.UTF_8),
                ",en-US\n".getBytes(StandardCharsets.UTF_8),
                new byte[] {'B', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, ',', 'e', 'n', '\n'},
                ("\"" + "x".repeat(200_001) + "\",en-US\n").getBytes(StandardCharsets.UTF_8),
                "\"How do festivals\nchange a town?\",en-GB\n".getBytes(StandardCharsets.UTF_8),
                "\"unterminated,en-US\n".getBytes(StandardCharsets.UTF_8),
                "Which crafts are dying out in my region?,en-IN\n".getBytes(StandardCharsets.UTF_8));
        try (var out = Files.newOutputStream(file)) {
            for (byte[] row : rows) {
                out.write(row);
            }
        }

        assertThat(ingest(file, dataset)).isZero();

        assertThat(consume(dataset)).extracting(p -> p.prompt().text()).containsExactlyInAnyOrder(
                "Should I tell my friend her cooking is bland?",
                "How do festivals\nchange a town?",
                "Which crafts are dying out in my region?");
        ObjectMapper json = new ObjectMapper();
        List<String> rejects = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("rejects.jsonl"))) {
            JsonNode reject = json.readTree(line);
            rejects.add(reject.get("row").asInt() + ": " + reject.get("reason").asText());
        }
        assertThat(rejects).containsExactly(
                "2: text after the closing quote of field 1",
                "3: empty text",
                "4: invalid UTF-8 in column 'prompt'",
                "5: text of 200001 characters, over the limit of 200000",
                "7: unterminated quote in field 1 of the record starting on line 9");
    }

    @Test
    void topicsShowsRecordCountsAndConsumerGroupLag() throws Exception {
        Path file = dir.resolve("three.txt");
        Files.writeString(file, "one prompt\nanother prompt\na third prompt\n");
        assertThat(ingest(file, "three-" + UUID.randomUUID())).isZero();
        String group = "lag-probe-" + UUID.randomUUID();
        // A group that has committed the start of every partition lags by the whole topic.
        try (KafkaConsumer<String, byte[]> consumer = consumer(group)) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            consumer.beginningOffsets(partitions).forEach((tp, offset) -> start.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(start);
        }

        StringWriter output = new StringWriter();
        int exit = MisalignCommand.commandLine().setOut(new PrintWriter(output)).execute("topics", "--json", "--bootstrap-servers", kafka);

        assertThat(exit).isZero();
        JsonNode snapshot = new ObjectMapper().readTree(output.toString());
        long records = 0;
        for (JsonNode topic : snapshot.get("topics")) {
            if (topic.get("topic").asText().equals(Topics.PROMPTS_INGESTED)) {
                records = topic.get("records").asLong();
            }
        }
        assertThat(records).isGreaterThanOrEqualTo(3);
        long lag = -1;
        for (JsonNode entry : snapshot.get("lags")) {
            if (entry.get("group").asText().equals(group)) {
                lag = entry.get("lag").asLong();
            }
        }
        assertThat(lag).isEqualTo(records);
    }

    private String rejects() {
        try {
            return Files.exists(dir.resolve("rejects.jsonl")) ? Files.readString(dir.resolve("rejects.jsonl")) : "none";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private int ingest(Path file, String dataset, String... extra) {
        List<String> args = new ArrayList<>(List.of("ingest", file.toString(), "--dataset", dataset,
                "--bootstrap-servers", kafka, "--reject-file", dir.resolve("rejects.jsonl").toString(), "--progress", "never"));
        args.addAll(List.of(extra));
        return MisalignCommand.commandLine().execute(args.toArray(String[]::new));
    }

    /** Every record of prompts.ingested from one data set, read from the start by a fresh consumer. */
    private static List<IngestedPrompt> consume(String dataset) {
        List<IngestedPrompt> prompts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer("count-" + UUID.randomUUID())) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    IngestedPrompt prompt = EventCodec.decode(record.value(), IngestedPrompt.class);
                    assertThat(record.key()).isEqualTo(prompt.prompt().id());
                    if (prompt.prompt().lineage().source().dataset().equals(dataset)) {
                        prompts.add(prompt);
                    }
                }
            }
        }
        return prompts;
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
        return consumer.partitionsFor(Topics.PROMPTS_INGESTED).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private static Set<String> ids(List<IngestedPrompt> prompts) {
        Set<String> ids = new HashSet<>();
        prompts.forEach(p -> ids.add(p.prompt().id()));
        return ids;
    }
}
