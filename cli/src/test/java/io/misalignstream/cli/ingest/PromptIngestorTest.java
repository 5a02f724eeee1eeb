package io.misalignstream.cli.ingest;

import io.misalignstream.contracts.PromptIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Origin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptIngestorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    /** Records what was sent; sends of texts containing "undeliverable" fail as a broker would. */
    static final class RecordingSink implements PromptSink {
        final List<IngestedPrompt> sent = new ArrayList<>();

        @Override
        public void send(IngestedPrompt prompt, Runnable onSuccess, Consumer<Exception> onFailure) {
            if (prompt.prompt().text().contains("undeliverable")) {
                onFailure.accept(new IllegalStateException("record too large"));
            } else {
                sent.add(prompt);
                onSuccess.run();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyRowEndsOnTheTopicOrInTheRejectFile() throws IOException {
        String csv = """
                prompt,locale
                Is it polite to refuse food at a host's table?,en-IN
                ,en-US
                this one is undeliverable,en-US
                %s,en-US
                Nul\u0000inside,en-GB
                Text with a unit separator \u001F kept as it is,en-AU
                """.formatted("z".repeat(60));
        RecordingSink sink = new RecordingSink();
        Path rejectFile = dir.resolve("rejects.jsonl");
        IngestReport report;
        try (RejectLog rejects = new RejectLog(rejectFile);
             CsvPromptReader reader = new CsvPromptReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ',',
                     ColumnSelection.defaults(), 4096)) {
            report = new PromptIngestor(sink, rejects, Clock.fixed(NOW, ZoneOffset.UTC), 50)
                    .ingest(reader, "etiquette.csv", (bytes, rows, rejected) -> { });
        }

        assertThat(report.rows()).isEqualTo(6);
        assertThat(report.ingested()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(4);

        IngestedPrompt first = sink.sent.get(0);
        assertThat(first.prompt().id()).isEqualTo(PromptIds.of("etiquette.csv", 1L, "Is it polite to refuse food at a host's table?"));
        assertThat(first.prompt().lineage().origin()).isEqualTo(Origin.ORIGINAL);
        assertThat(first.prompt().lineage().source().dataset()).isEqualTo("etiquette.csv");
        assertThat(first.prompt().lineage().source().row()).isEqualTo(1L);
        assertThat(first.prompt().metadata()).isEqualTo(Map.of("locale", "en-IN"));
        assertThat(first.ingestedAt()).isEqualTo(NOW);
        assertThat(sink.sent.get(1).prompt().text()).contains("\u001F");

        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (String line : Files.readAllLines(rejectFile)) {
            rejected.add(json.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
        }
        assertThat(rejected).extracting(r -> (Object) r.get("row")).containsExactly(2, 3, 4, 5);
        assertThat(rejected).extracting(r -> (Object) r.get("reason")).containsExactly(
                "empty text",
                "not delivered to Kafka: record too large",
                "text of 60 characters, over the limit of 50",
                "prompt.text: contains a NUL character");
    }

    @Test
    void aPromptWhoseRecordWouldBeOverTheIngestedLimitIsRejectedWithTheReason() throws IOException {
        // control characters are carried, and take six bytes each as JSON: 140,000 of them are 840,000 bytes
        String escapes = "\u0001".repeat(140_000);
        String lines = "a short prompt\n" + escapes + "\n" + "\u0001".repeat(100_000) + "\n";
        RecordingSink sink = new RecordingSink();
        Path rejectFile = dir.resolve("rejects.jsonl");
        IngestReport report;
        try (RejectLog rejects = new RejectLog(rejectFile);
             TextPromptReader reader = new TextPromptReader(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), 1024 * 1024)) {
            report = new PromptIngestor(sink, rejects, Clock.fixed(NOW, ZoneOffset.UTC), EventLimits.MAX_PROMPT_CHARS)
                    .ingest(reader, "escapes.txt", (bytes, rows, rejected) -> { });
        }

        assertThat(report.ingested()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(Files.readString(rejectFile)).contains("\"row\":2").contains("a record of 840,").contains("more than the limit of 786,432");
    }

    @Test
    void idsAreStableAndDependOnDatasetRowAndText() {
        String id = PromptIds.of("prompts.csv", 12L, "Write a poem about rain");
        assertThat(id).isEqualTo(PromptIds.of("prompts.csv", 12L, "Write a poem about rain")).hasSize(32).matches("[0-9a-f]{32}");
        // SHA-256 of "prompts.csv\u000012\u0000Write a poem about rain", first 16 bytes, computed independently with Python's hashlib
        assertThat(id).isEqualTo("76293af318d8508285abd3b94a8cc3c4");
        assertThat(PromptIds.of("prompts.csv", 13L, "Write a poem about rain")).isNotEqualTo(id);
        assertThat(PromptIds.of("other.csv", 12L, "Write a poem about rain")).isNotEqualTo(id);
        assertThat(PromptIds.of("prompts.csv", 12L, "Write a poem about snow")).isNotEqualTo(id);
    }
}
