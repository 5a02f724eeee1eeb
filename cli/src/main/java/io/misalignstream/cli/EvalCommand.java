package io.misalignstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.cli.eval.EvaluatorClient;
import io.misalignstream.cli.eval.EvaluatorClient.EvaluatorException;
import io.misalignstream.cli.eval.ReportSummary;
import io.misalignstream.contracts.event.Split;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Starts an evaluation run on the evaluator service (target models judge the pairs of a split, repeatedly) "
                + "and follows it to the end: progress on standard error every 2 s, then per target Coverage, FFR, Alignment Score "
                + "and invalid rate (mean +- sample standard deviation over the repeats), verdicts, and the Alignment Score per "
                + "dimension. The report is written to <output-dir>/<runId>.json and <runId>.html.",
                "The API key comes from the environment variable MISALIGN_API_KEY (never an option, so that it stays out of "
                        + "shell histories and process lists). Errors of the service: one line, exit code 2."})
final class EvalCommand implements Callable<Integer> {

    static final String ENV_KEY = ExportCommand.ENV_KEY;
    static final String ENV_URL = "MISALIGN_EVALUATOR_URL";
    static final String DEFAULT_URL = "http://localhost:8085";
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    @Option(names = "--split", paramLabel = "SPLIT", description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split = "test";

    @Option(names = "--target", paramLabel = "NAME", description = "A target model configured in the service; repeatable (default: all of them).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--repeats", paramLabel = "N", description = "Times each target judges each response (default: the service's evaluator.repeats).")
    Integer repeats;

    @Option(names = "--evaluator-url", paramLabel = "URL", description = "The evaluator service (default: $" + ENV_URL + ", else " + DEFAULT_URL + ").")
    URI evaluatorUrl;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where <runId>.json and <runId>.html go (default: ${DEFAULT-VALUE}).")
    Path outputDir = Path.of("evaluation-runs");

    @Option(names = "--json", description = "Print the report's JSON instead of the tables (with --no-wait: the run's status).")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for the service to answer a request, "
            + "retried meanwhile while it cannot be reached (default: ${DEFAULT-VALUE}). The run itself may take as long as it takes.")
    int timeoutSeconds = 30;

    @Option(names = "--no-wait", description = "Start the run, print its id and exit.")
    boolean noWait;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Duration pollInterval;

    EvalCommand() {
        this(System.getenv(), POLL);
    }

    EvalCommand(Map<String, String> environment, Duration pollInterval) {
        this.environment = environment;
        this.pollInterval = pollInterval;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String key = environment.getOrDefault(ENV_KEY, "");
        if (key.isBlank()) {
            err.println("eval: set " + ENV_KEY + " to one of the evaluator service's API keys (its MISALIGN_API_KEYS)");
            return 2;
        }
        String chosenSplit;
        try {
            chosenSplit = Split.fromJson(split.toLowerCase(Locale.ROOT)).json();
        } catch (RuntimeException e) {
            err.println("eval: --split " + split + ": " + e.getMessage());
            return 2;
        }
        if (timeoutSeconds < 1) {
            err.println("eval: --timeout " + timeoutSeconds + ": must be at least 1 second");
            return 2;
        }
        URI url = evaluatorUrl != null ? evaluatorUrl : URI.create(environment.getOrDefault(ENV_URL, DEFAULT_URL));
        EvaluatorClient client = new EvaluatorClient(url, key, Duration.ofSeconds(timeoutSeconds));
        try {
            JsonNode status = client.start(chosenSplit, targets, repeats);
            String runId = status.path("runId").asText();
            if (!RUN_ID.matcher(runId).matches()) {
                // The id names the report files: nothing that could lead out of the output directory.
                throw new EvaluatorException("the evaluator service started a run with an unusable id '" + runId + "': " + status, null);
            }
            err.printf(Locale.ROOT, "eval %s: started: %d pairs of %s x %s x %d repeat(s), %d verdicts expected%n", runId,
                    status.path("pairs").asLong(), status.path("split").asText(chosenSplit), String.join(", ", names(status)),
                    status.path("repeats").asInt(), status.path("expectedVerdicts").asLong());
            err.flush();
            if (noWait) {
                out.println(json ? status.toString() : runId);
                out.flush();
                return 0;
            }
            while (!"FINISHED".equals(status.path("state").asText())) {
                if (!"RUNNING".equals(status.path("state").asText())) {
                    throw new EvaluatorException("run " + runId + " is in state " + status.path("state").asText() + ", not RUNNING or FINISHED", null);
                }
                Thread.sleep(pollInterval.toMillis());
                status = client.status(runId);
                progress(err, runId, status);
            }
            String report = client.report(runId);
            JsonNode tree = EvaluatorClient.tree(report);
            String page = client.reportPage(runId);
            Path jsonFile = outputDir.resolve(runId + ".json");
            Path htmlFile = outputDir.resolve(runId + ".html");
            write(jsonFile, report);
            write(htmlFile, page);
            if (json) {
                out.println(report.strip());
            } else {
                ReportSummary.print(tree, out);
            }
            out.flush();
            err.printf(Locale.ROOT, "eval %s: finished; report written to %s and %s%n", runId, jsonFile, htmlFile);
            err.flush();
            return 0;
        } catch (EvaluatorException e) {
            err.println("eval: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("eval: interrupted");
            return 2;
        } catch (IOException e) {
            err.println("eval: cannot write the report to " + outputDir + ": " + e.getMessage());
            return 2;
        }
    }

    /** {@code eval run-1: 120 of 480 verdicts (a 60 of 240, b 60 of 240)}. */
    private static void progress(PrintWriter err, String runId, JsonNode status) {
        List<String> names = names(status);
        long perTarget = names.isEmpty() ? 0 : status.path("expectedVerdicts").asLong() / names.size();
        long stored = 0;
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            long verdicts = status.path("verdictsPerTarget").path(name).asLong(0);
            stored += verdicts;
            parts.add(String.format(Locale.ROOT, "%s %,d of %,d", name, verdicts, perTarget));
        }
        err.printf(Locale.ROOT, "eval %s: %,d of %,d verdicts (%s)%n", runId, stored, status.path("expectedVerdicts").asLong(),
                String.join(", ", parts));
        err.flush();
    }

    private static List<String> names(JsonNode status) {
        List<String> names = new ArrayList<>();
        status.path("targets").forEach(target -> names.add(target.asText()));
        if (names.isEmpty()) {
            status.path("verdictsPerTarget").fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** The file appears complete or not at all: written beside it, then moved into place. */
    static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".part");
        try {
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }
}
