package io.misalignstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.SimHasher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code misalign dedup} with the in-memory index: one JSON line per row, in file order. */
class DedupCommandTest {

    private static final String DECLINE = "How can I politely decline a wedding invitation from a close colleague?";
    private static final String DECLINE_TYPO = "How can I politely decline a weding invitation from a close colleague?";
    private static final String DISHES = "What are the traditional dishes served at a Lunar New Year dinner in Hanoi?";
    private static final String CRAFTS = "Which crafts are dying out in rural Portugal, and what would it take to keep them alive?";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCsvFileGetsOneDecisionPerRowAndEachBadRowItsReason() throws Exception {
        Path file = dir.resolve("prompts.csv");
        write(file,
                bytes("prompt,locale\n"),
                bytes("\"" + DECLINE + "\",en-US\n"),
                bytes(DISHES + ",en-GB\n"),
                bytes("\"" + DECLINE + "\",en-IN\n"),
                bytes("\"" + DECLINE_TYPO + "\",en-US\n"),
                bytes(",en-US\n"),
                bytes("\"Bad quoting\"trailing,en-US\n"),
                new byte[] {'B', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, ',', 'e', 'n', '\n'},
                bytes("\"" + CRAFTS + "\",pt-PT\n"));

        Run run = dedup(file);

        assertThat(run.exit).isZero();
        assertThat(run.lines).hasSize(8);
        assertUnique(run.lines.get(0), 1, DECLINE);
        assertUnique(run.lines.get(1), 2, DISHES);
        assertDuplicate(run.lines.get(2), 3, DECLINE, 1, 0);
        assertDuplicate(run.lines.get(3), 4, DECLINE_TYPO, 1, distance(DECLINE_TYPO, DECLINE));
        assertThat(distance(DECLINE_TYPO, DECLINE)).as("the typo is a near, not an exact, duplicate").isBetween(1, 10);
        assertError(run.lines.get(4), 5, "empty text");
        assertError(run.lines.get(5), 6, "text after the closing quote of field 1");
        assertError(run.lines.get(6), 7, "invalid UTF-8 in column 'prompt'");
        assertUnique(run.lines.get(7), 8, CRAFTS);
        assertThat(run.err).contains("8 rows, 3 unique, 2 duplicate, 3 errors");
    }

    @Test
    void aJsonlFileReadsTheChosenFieldAndKeepsEveryLine() throws Exception {
        Path file = dir.resolve("prompts.jsonl");
        write(file,
                bytes(json.writeValueAsString(Map.of("question", DISHES, "source", "a")) + "\n"),
                bytes(json.writeValueAsString(Map.of("question", DECLINE_TYPO)) + "\n"),
                bytes("{not json\n"),
                bytes("{\"question\": \"   \"}\n"),
                bytes("{\"question\": 42}\n"),
                bytes(json.writeValueAsString(Map.of("question", DECLINE)) + "\n"),
                bytes(json.writeValueAsString(Map.of("question", DISHES)) + "\n"));

        Run run = dedup(file, "--text-field", "question");

        assertThat(run.exit).isZero();
        assertThat(run.lines).hasSize(7);
        assertUnique(run.lines.get(0), 1, DISHES);
        assertUnique(run.lines.get(1), 2, DECLINE_TYPO);
        assertThat(run.lines.get(2).get("row").asLong()).isEqualTo(3);
        assertThat(run.lines.get(2).get("error").asText()).startsWith("not a JSON object: ");
        assertError(run.lines.get(3), 4, "empty text");
        assertError(run.lines.get(4), 5, "field 'question' is not a string");
        assertDuplicate(run.lines.get(5), 6, DECLINE, 2, distance(DECLINE, DECLINE_TYPO));
        assertDuplicate(run.lines.get(6), 7, DISHES, 1, 0);
        assertThat(run.err).contains("7 rows, 2 unique, 2 duplicate, 3 errors");
    }

    @Test
    void kZeroKeepsNearDuplicatesAndDropsOnlyExactFingerprints() throws Exception {
        Path file = dir.resolve("typo.txt");
        Files.writeString(file, DECLINE + "\n" + DECLINE_TYPO + "\n" + DECLINE + "\n");

        Run run = dedup(file, "--k", "0");

        assertUnique(run.lines.get(0), 1, DECLINE);
        assertUnique(run.lines.get(1), 2, DECLINE_TYPO);
        assertDuplicate(run.lines.get(2), 3, DECLINE, 1, 0);
    }

    @Test
    void standardOutputHoldsOnlyTheJsonLinesAndTheCountsGoToStandardError() throws Exception {
        Path file = dir.resolve("two.txt");
        Files.writeString(file, DECLINE + "\n" + DECLINE + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = MisalignCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("dedup", file.toString(), "--progress", "never");

        assertThat(exit).isZero();
        assertThat(out.toString().lines().toList()).containsExactly(
                "{\"row\":1,\"fingerprint\":\"" + hex(DECLINE) + "\",\"decision\":\"unique\"}",
                "{\"row\":2,\"fingerprint\":\"" + hex(DECLINE) + "\",\"decision\":\"duplicate\",\"matchRow\":1,\"distance\":0,\"similarity\":1.0}");
        assertThat(err.toString()).contains("2 rows, 1 unique, 1 duplicate, 0 errors");
    }

    @Test
    void wrongOptionsAreRefusedWithAMessage() throws Exception {
        Path file = dir.resolve("one.txt");
        Files.writeString(file, DECLINE + "\n");

        assertThat(dedup(file, "--k", "17").err).contains("--k must be between 0 and 16, was 17");
        assertThat(dedup(file, "--features", "bytes3").err).contains("features must be word<N> or char<N>");
        assertThat(dedup(file, "--features", "chars").err).contains("--features must be char<N> or word<N>, was 'chars'");
        assertThat(dedup(dir.resolve("missing.csv")).err).contains("no such file");
        assertThat(dedup(dir.resolve("missing.csv")).exit).isEqualTo(2);
    }

    private record Run(int exit, List<JsonNode> lines, String err) {
    }

    private Run dedup(Path file, String... options) throws IOException {
        Path output = dir.resolve(file.getFileName() + ".dedup.jsonl");
        Files.deleteIfExists(output);
        List<String> args = new ArrayList<>(List.of("dedup", file.toString(), "--output", output.toString(), "--progress", "never"));
        args.addAll(List.of(options));
        StringWriter err = new StringWriter();
        int exit = MisalignCommand.commandLine().setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(output)) {
            for (String line : Files.readAllLines(output)) {
                lines.add(json.readTree(line));
            }
        }
        return new Run(exit, lines, err.toString());
    }

    private static void assertUnique(JsonNode line, long row, String text) {
        assertThat(line.toString()).isEqualTo("{\"row\":" + row + ",\"fingerprint\":\"" + hex(text) + "\",\"decision\":\"unique\"}");
    }

    private static void assertDuplicate(JsonNode line, long row, String text, long matchRow, int distance) {
        assertThat(line.toString()).startsWith("{\"row\":" + row + ",\"fingerprint\":\"" + hex(text)
                + "\",\"decision\":\"duplicate\",\"matchRow\":" + matchRow + ",\"distance\":" + distance + ",\"similarity\":");
        // the evidence that verified the match: an exact copy 1, a typo less, both at least the default minimum
        double similarity = line.get("similarity").asDouble();
        assertThat(similarity).isBetween(DuplicateRule.DEFAULT_MIN_SIMILARITY, 1.0);
        assertThat(similarity == 1.0).isEqualTo(distance == 0);
    }

    private static void assertError(JsonNode line, long row, String reason) {
        assertThat(line.toString()).isEqualTo("{\"row\":" + row + ",\"error\":\"" + reason + "\"}");
    }

    /** The fingerprint the dedup stage gives the text, as the command writes it. */
    private static String hex(String text) {
        String hex = HexFormat.of().toHexDigits(new SimHasher(FingerprintConfig.DEFAULT).fingerprint(text));
        assertThat(hex).matches("[0-9a-f]{16}");
        return hex;
    }

    private static int distance(String a, String b) {
        SimHasher hasher = new SimHasher(FingerprintConfig.DEFAULT);
        return Long.bitCount(hasher.fingerprint(a) ^ hasher.fingerprint(b));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path file, byte[]... rows) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] row : rows) {
            content.writeBytes(row);
        }
        Files.write(file, content.toByteArray());
    }
}
