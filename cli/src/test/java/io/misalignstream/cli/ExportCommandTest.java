package io.misalignstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the command says when it cannot export; the export itself is tested against the sampler service (DatasetStoreTest). */
class ExportCommandTest {

    @TempDir
    Path output;

    @Test
    void refusesToStartWithoutAKeyInTheEnvironment() {
        Run run = run(Map.of(), "--output-dir", output.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("set MISALIGN_API_KEY");
    }

    @Test
    void namesAnUnknownSplit() {
        Run run = run(Map.of(ExportCommand.ENV_KEY, "a-key"), "--split", "holdout", "--output-dir", output.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--split holdout").contains("train, validation, test");
    }

    @Test
    void saysWhenTheSamplerIsNotThereAndWritesNoFile() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = run(Map.of(ExportCommand.ENV_KEY, "a-key"), "--sampler-url", "http://127.0.0.1:" + closedPort,
                "--output-dir", output.toString(), "--timeout", "5");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("cannot reach the sampler service at http://127.0.0.1:" + closedPort);
        try (var files = Files.list(output)) {
            assertThat(files).isEmpty();
        }
    }

    private record Run(int exit, String err) {
    }

    private static Run run(Map<String, String> environment, String... arguments) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new ExportCommand(environment)).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
        int exit = commandLine.execute(arguments);
        return new Run(exit, err.toString());
    }
}
