package io.misalignstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.contracts.PromptIds;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code misalign dedup --redis}: a persistent index shared by runs, on a real Redis. */
class DedupRedisIntegrationTest {

    private static final int ROWS = 2_500;
    private static DevStack devStack;
    private static String redisUrl;

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() {
        devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
        redisUrl = devStack.endpoints().redisUrl();
    }

    @AfterAll
    static void stopServers() {
        devStack.close();
    }

    @Test
    void aSecondRunOverTheSameFileGetsEveryRowItsFirstDecision() throws Exception {
        Path file = dir.resolve("prompts.txt");
        // Exact and one-letter-changed copies of earlier rows, some of them a batch or two later.
        Map<Integer, Integer> copies = Map.of(12, 3, 40, 39, 999, 998, 1001, 7, 1500, 20, 2003, 1002, 2499, 1999);
        List<String> texts = prompts(copies);
        Files.write(file, texts);
        String scope = "test-" + UUID.randomUUID();

        Run first = dedup(file, "--scope", scope);
        Run second = dedup(file, "--scope", scope);

        assertThat(first.exit).isZero();
        assertThat(first.lines).hasSize(ROWS);
        Map<Long, Long> matches = new HashMap<>();
        for (JsonNode line : first.lines) {
            if (line.get("decision").asText().equals("duplicate")) {
                matches.put(line.get("row").asLong(), line.get("matchRow").asLong());
            }
        }
        Map<Long, Long> expected = new HashMap<>();
        copies.forEach((copy, source) -> expected.put((long) copy, (long) source));
        assertThat(matches).isEqualTo(expected);
        assertThat(first.err).contains(String.format("%,d rows, %,d unique, %d duplicate, 0 errors", ROWS, ROWS - copies.size(), copies.size()));

        // Deciding again against the index would find every row a duplicate of itself; the stored decisions say otherwise.
        assertThat(second.exit).isZero();
        assertThat(second.text).isEqualTo(first.text);
    }

    @Test
    void anotherFileInTheSameScopeIsDecidedAgainstWhatTheFirstAccepted() throws Exception {
        Path first = dir.resolve("first.txt");
        Path second = dir.resolve("second.txt");
        List<String> texts = prompts(Map.of());
        Files.write(first, texts.subList(0, 100));
        Files.write(second, List.of(texts.get(200), texts.get(41), texts.get(200)));
        String scope = "shared-" + UUID.randomUUID();

        assertThat(dedup(first, "--scope", scope).exit).isZero();
        Run run = dedup(second, "--scope", scope);

        assertThat(run.exit).isZero();
        assertThat(run.lines.get(0).get("decision").asText()).isEqualTo("unique");
        assertThat(run.lines.get(1).get("decision").asText()).isEqualTo("duplicate");
        assertThat(run.lines.get(1).has("matchRow")).isFalse();
        assertThat(run.lines.get(1).get("matchId").asText()).isEqualTo(PromptIds.of("first.txt", 42L, texts.get(41)));
        assertThat(run.lines.get(1).get("distance").asInt()).isZero();
        assertThat(run.lines.get(2).get("matchRow").asLong()).isEqualTo(1);
    }

    @Test
    void aScopeKeepsTheFeaturesItWasStartedWith() throws Exception {
        Path file = dir.resolve("few.txt");
        Files.write(file, prompts(Map.of()).subList(0, 3));
        String scope = "features-" + UUID.randomUUID();
        assertThat(dedup(file, "--scope", scope).exit).isZero();

        Run words = dedup(file, "--scope", scope, "--features", "word2");

        assertThat(words.exit).isEqualTo(2);
        assertThat(words.err).contains("holds simhash2-char3 fingerprints, not simhash2-word2");
        assertThat(words.lines).isEmpty();
    }

    /**
     * Texts of random made-up words, so that no two are near-duplicates by chance (a small vocabulary or
     * a shared opening would make some), with row {@code copy} (1-based) a copy of row {@code source},
     * every other one with a typo.
     */
    private static List<String> prompts(Map<Integer, Integer> copies) {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int row = 1; row <= ROWS; row++) {
            Integer source = copies.get(row);
            if (source == null) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 16; w++) {
                    text.append(w == 0 ? "" : " ");
                    for (int letters = 3 + random.nextInt(7); letters > 0; letters--) {
                        text.append((char) ('a' + random.nextInt(26)));
                    }
                }
                texts.add(text.toString());
            } else {
                String original = texts.get(source - 1);
                texts.add(row % 2 == 0 ? original : original.replaceFirst("e", "a"));
            }
        }
        return texts;
    }

    private record Run(int exit, String text, List<JsonNode> lines, String err) {
    }

    private Run dedup(Path file, String... options) throws IOException {
        Path output = dir.resolve(file.getFileName() + "." + UUID.randomUUID() + ".jsonl");
        List<String> args = new ArrayList<>(List.of("dedup", file.toString(), "--redis", redisUrl,
                "--output", output.toString(), "--progress", "never"));
        args.addAll(List.of(options));
        StringWriter err = new StringWriter();
        int exit = MisalignCommand.commandLine().setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        String text = Files.exists(output) ? Files.readString(output) : "";
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            lines.add(json.readTree(line));
        }
        return new Run(exit, text, lines, err.toString());
    }
}
