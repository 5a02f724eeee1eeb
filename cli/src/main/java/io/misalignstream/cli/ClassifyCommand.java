package io.misalignstream.cli;

import io.misalignstream.cli.classify.ClassifyReport;
import io.misalignstream.cli.classify.FileClassifier;
import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.cli.ingest.PromptFileReader;
import io.misalignstream.cli.ingest.PromptIngestor;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.embedded.DomainExamples;
import io.misalignstream.inference.embedded.EmbeddedCalibration;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.embedded.SafetyScreen;
import io.misalignstream.inference.embedded.SentenceEmbedder;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiPromptClassifier;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Labels the prompts of a CSV, TSV, JSONL or plain-text file offline (no Kafka), with the classifier "
                + "service's inference code: the in-process embedding model, or an OpenAI-compatible endpoint.",
                "Writes one JSON object per row, in file order: row (1-based), id (when the row has an id column or field), "
                        + "safety, value and cultural (a domain id or none), semanticType, safetyProbability, valueProbability, "
                        + "culturalProbability, further (the further domains per dimension, when any), and the provenance: "
                        + "backend, model, templateVersion. A row that cannot be labelled (unreadable, empty text, invalid answer, "
                        + "endpoint unavailable after retries) gets row and error (the reason) instead; after "
                        + FileClassifier.STOP_AFTER_UNAVAILABLE_ROWS + " unavailable rows in a row the run stops.",
                "The endpoint's API key is read from the environment variable " + ClassifyCommand.API_KEY_VARIABLE + " only.",
                "Progress and the counts go to standard error."})
final class ClassifyCommand implements Callable<Integer> {

    static final String API_KEY_VARIABLE = "CLASSIFIER_OPENAI_API_KEY";
    /** Retries of the endpoint client on a timeout, 429 or 5xx; there is no outer guard here as in the service. */
    static final int MAX_RETRIES = 3;
    private static final List<String> OPENAI_OPTIONS = List.of("--base-url", "--model", "--timeout", "--max-concurrency");

    enum Backend { EMBEDDED, OPENAI }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file to label.")
    Path file;

    @Option(names = "--backend", description = "embedded (the in-process model) or openai (an OpenAI-compatible endpoint); default: embedded.")
    Backend backend = Backend.EMBEDDED;

    @Option(names = "--delta", paramLabel = "P",
            description = "Probability a further domain must reach to be labelled besides the primary (default: ${DEFAULT-VALUE}).")
    double delta = 0.5;

    @Option(names = "--safety-target-recall", paramLabel = "R",
            description = "embedded: the share of harmful prompts the safety screen should flag, 0.50 to 0.99 (default: ${DEFAULT-VALUE}).")
    double safetyTargetRecall = SafetyScreen.DEFAULT_TARGET_RECALL;

    @Option(names = "--threads", paramLabel = "N",
            description = "Rows labelled at once: embedding sessions, or requests to the endpoint (default: the cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--output", paramLabel = "FILE", description = "Where the JSON lines go (default: standard output).")
    Path output;

    @Option(names = "--base-url", paramLabel = "URL", description = "openai: the endpoint (default: ${DEFAULT-VALUE}).")
    URI baseUrl = URI.create("http://localhost:11434/v1");

    @Option(names = "--model", paramLabel = "NAME", description = "openai: the model name the server knows (default: ${DEFAULT-VALUE}).")
    String model = "mistral:7b-instruct-v0.3-q4_K_M";

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "openai: longest wait for one answer (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 60;

    @Option(names = "--max-concurrency", paramLabel = "N", description = "openai: requests in flight at most (default: --threads).")
    Integer maxConcurrency;

    @Mixin
    InputFileOptions input = new InputFileOptions();

    /** Where the API key is looked up; a test gives its own. */
    Function<String, String> environment = System::getenv;

    @Override
    public Integer call() throws Exception {
        if (!(delta >= 0 && delta <= 1)) {
            throw new IllegalArgumentException("--delta must be between 0 and 1, was " + delta);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, was " + threads);
        }
        if (backend == Backend.EMBEDDED) {
            for (String option : OPENAI_OPTIONS) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " applies to --backend openai only");
                }
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        // Every column is kept, as ingest keeps them, so that an id column is found whatever else the file has.
        ColumnSelection columns = new ColumnSelection(input.textColumn, null);
        ClassifyReport report;
        // The file is opened first: a wrong path fails before the model is loaded.
        try (PromptFileReader reader = input.open(file, columns);
             PromptClassifier classifier = classifier(err);
             Writer out = JsonLinesOutput.open(output, spec.commandLine().getOut())) {
            // On a terminal the JSON lines show the progress themselves; a bar redrawn among them would garble both.
            PromptIngestor.Progress progress = output == null && "auto".equals(input.progress) && System.console() != null
                    ? (bytes, rows, errors) -> { }
                    : input.progressOf(file, "classify", System.err);
            report = new FileClassifier(classifier, classifier.parallelism()).run(reader, out, progress);
        }
        err.printf("classify %s: %,d rows, %,d labelled, %,d errors in %.1f s (%,.1f rows/s); not none: safety %,d, value %,d, cultural %,d%n",
                file, report.rows(), report.labelled(), report.errors(), report.elapsed().toMillis() / 1000.0,
                report.rowsPerSecond(), report.notNone(Dimension.SAFETY), report.notNone(Dimension.VALUE),
                report.notNone(Dimension.CULTURAL));
        err.flush();
        return 0;
    }

    private PromptClassifier classifier(PrintWriter err) {
        if (backend == Backend.EMBEDDED) {
            // Examples and calibration first: a missing resource fails before any session is started.
            DomainExamples examples = DomainExamples.shipped();
            EmbeddedCalibration calibration = EmbeddedCalibration.shipped();
            SafetyScreen screen = SafetyScreen.shipped();
            double threshold = screen.threshold(safetyTargetRecall);
            err.printf(Locale.ROOT, "classify: embedded model, %d sessions, safety screen %s at target recall %.2f (threshold %.4f)%n",
                    threads, screen.version(), safetyTargetRecall, threshold);
            err.flush();
            return new EmbeddedPromptClassifier(new SentenceEmbedder(threads), Taxonomy.standard(), examples, calibration, screen,
                    safetyTargetRecall, delta);
        }
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("--base-url must be an http or https URL, was '" + baseUrl + "'");
        }
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--timeout must be more than 0 seconds, was " + timeoutSeconds);
        }
        int concurrency = maxConcurrency != null ? maxConcurrency : threads;
        if (concurrency < 1) {
            throw new IllegalArgumentException("--max-concurrency must be at least 1, was " + concurrency);
        }
        Optional<String> apiKey = Optional.ofNullable(environment.apply(API_KEY_VARIABLE));
        EndpointSettings settings = new EndpointSettings(baseUrl, model, apiKey,
                Duration.ofMillis(Math.round(timeoutSeconds * 1000)), concurrency, MAX_RETRIES);
        // Whether there is a key, never the key.
        err.printf("classify: endpoint %s, model %s, %s, %d requests at once, timeout %s s, %d retries%n", baseUrl, model,
                settings.apiKey().isPresent() ? "API key from " + API_KEY_VARIABLE : "no API key", concurrency,
                timeoutSeconds, MAX_RETRIES);
        err.flush();
        return new OpenAiPromptClassifier(settings, delta);
    }
}
