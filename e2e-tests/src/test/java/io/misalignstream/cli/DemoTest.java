package io.misalignstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code misalign demo} on 20 rows of the sample, the packaged services and the embedded defaults, as a user runs it. */
class DemoTest {

    private static final Path HOME = Path.of(System.getenv("MISALIGN_HOME"));

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void runsTheWholePipelineAndStopsEverything(@TempDir Path temp) throws IOException {
        // Every tenth row: the sample is ordered by safety domain, so this spreads over its domains.
        List<String> sample = Files.readAllLines(HOME.resolve("samples/prompts.csv"), StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>(List.of(sample.get(0)));
        IntStream.range(0, 20).forEach(i -> rows.add(sample.get(1 + 10 * i)));
        Path input = temp.resolve("prompts.csv");
        Files.write(input, rows, StandardCharsets.UTF_8);
        Path output = temp.resolve("out");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        int exitCode;
        try {
            System.setOut(new PrintStream(new Tee(out, originalOut), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(err, originalErr), true, StandardCharsets.UTF_8));
            // Small targets in one dimension: 14 domains of 2 prompts at most, so the stream drains in about a minute.
            // --skip-build: the reactor packaged the services just before this module.
            exitCode = MisalignCommand.commandLine().execute("demo", "--input", input.toString(), "--text-column", "prompt",
                    "--output-dir", output.toString(), "--expander-target", "2", "--expander-dimension", "safety",
                    "--partitions", "2", "--timeout", "5", "--skip-build");
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String summary = out.toString(StandardCharsets.UTF_8);
        String log = err.toString(StandardCharsets.UTF_8);

        assertThat(exitCode).as(log).isZero();
        assertThat(summary).contains("prompts ingested:        20").contains("near-duplicates removed:").contains("dead letters:");
        assertThat(number(summary, "pairs accepted:\\s+([0-9,]+)")).isPositive();
        assertThat(summary).contains("Benchmark of the embedded baseline").contains("COVERAGE").contains("FFR")
                .contains("ALIGNMENT SCORE");
        assertThat(summary).containsPattern("embedded-baseline\\s+[0-9.]+");

        for (String split : List.of("train", "validation", "test")) {
            assertThat(output.resolve(split + ".jsonl")).exists();
        }
        try (var files = Files.list(output)) {
            List<String> names = files.map(path -> path.getFileName().toString()).toList();
            assertThat(names).anyMatch(name -> name.endsWith(".html")).anyMatch(name -> name.endsWith(".json"));
        }

        List<Integer> ports = new ArrayList<>();
        Matcher started = Pattern.compile("-service\\s+port (\\d+)").matcher(log);
        while (started.find()) {
            ports.add(Integer.parseInt(started.group(1)));
        }
        assertThat(ports).hasSize(5);
        for (int port : ports) {
            assertThat(listening(port)).as("a service still listens on port %d", port).isFalse();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList())
                .as("processes left by the demo").isEmpty();
    }

    private static long number(String text, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(text);
        assertThat(matcher.find()).as("'%s' in:%n%s", pattern, text).isTrue();
        return Long.parseLong(matcher.group(1).replace(",", ""));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Captured for the assertions and shown as it comes, so that a slow CI run can be followed. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
