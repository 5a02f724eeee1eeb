package io.misalignstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.cli.coverage.CoverageReport;
import io.misalignstream.cli.coverage.CoverageTargets;
import io.misalignstream.cli.coverage.DomainCoverage;
import io.misalignstream.cli.coverage.DomainCoverageCounter;
import io.misalignstream.cli.demo.DrainWatch;
import io.misalignstream.cli.eval.EvaluatorClient;
import io.misalignstream.cli.eval.ReportSummary;
import io.misalignstream.cli.export.DatasetDownload;
import io.misalignstream.cli.ingest.IngestReport;
import io.misalignstream.cli.topics.TopicStatistics;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.Pipeline;
import io.misalignstream.devstack.Pipeline.Stage;
import io.misalignstream.devstack.ServiceProcess;
import io.misalignstream.devstack.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline on this machine: packages the five services if needed, starts the devstack and "
                + "the services (embedded models, no network), ingests the project's sample (or --input FILE), shows each stage's "
                + "progress until the stream has drained, evaluates the embedded baseline on the test split, prints a summary and "
                + "writes the dataset and the evaluation report to --output-dir; then stops everything (or, with --keep, leaves it running).",
                "--llm-base-url and --llm-model point the classifier, the expander, the sampler's generator and an evaluation target at an "
                        + "OpenAI-compatible endpoint (key from MISALIGN_LLM_API_KEY); the sampler's judge needs a model of its own (--judge-model)."})
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE = "samples/prompts.csv";
    static final String ENV_LLM_KEY = "MISALIGN_LLM_API_KEY";
    /** The name of the --llm-model target and generator pool member in the services' settings. */
    static final String LLM_NAME = "llm";
    static final String PACKAGE_COMMAND = "./mvnw -q -pl classifier-service,expander-service,dedup-service,sampler-service,evaluator-service "
            + "-am package -DskipTests";
    /** The expander checks every domain this often; the stream counts as drained only when still for longer. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofSeconds(2);
    /** Five JVMs loading their models at once on two cores take a while. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--input", paramLabel = "FILE", description = "File to ingest instead of the project's sample " + SAMPLE + ".")
    Path input;

    @Option(names = "--keep", description = "Leave the servers and services running, print their addresses and the API key; Ctrl-C stops them.")
    boolean keep;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where the dataset and the evaluation report go (default: demo-output/<timestamp>).")
    Path outputDir;

    @Option(names = "--timeout", paramLabel = "MINUTES", description = "Longest wait for the stream to drain and for the evaluation (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes = 30;

    @Option(names = "--expander-target", paramLabel = "N", description = "Prompts each domain should reach, synthetic ones included "
            + "(default: ${DEFAULT-VALUE}; the service's own default, 25, generates about 2,700 prompts for the 111 domains).")
    int expanderTarget = 3;

    @Option(names = "--expander-dimension", paramLabel = "DIM", description = "Dimension whose domains are expanded (safety, value, cultural); repeatable (default: all).")
    List<Dimension> expanderDimensions = new ArrayList<>();

    @Option(names = "--partitions", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions = DevStackOptions.DEFAULT_PARTITIONS;

    @Option(names = "--llm-base-url", paramLabel = "URL", description = "OpenAI-compatible endpoint for the classifier, the expander, the sampler's generator and an evaluation target named '" + LLM_NAME + "'.")
    URI llmBaseUrl;

    @Option(names = "--llm-model", paramLabel = "NAME", description = "The model at --llm-base-url.")
    String llmModel;

    @Option(names = "--judge-model", paramLabel = "NAME", description = "The sampler's judge at --llm-base-url; must differ from --llm-model (default: the embedded judge).")
    String judgeModel;

    @Option(names = "--skip-build", description = "Use the packaged services as they are, even when older than their sources.")
    boolean skipBuild;

    @Mixin
    IngestOptions ingest = new IngestOptions();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String llmKey = System.getenv().getOrDefault(ENV_LLM_KEY, "");
        if ((llmBaseUrl == null) != (llmModel == null)) {
            throw new IllegalArgumentException("--llm-base-url and --llm-model go together");
        }
        if (judgeModel != null && (llmBaseUrl == null || judgeModel.equals(llmModel))) {
            throw new IllegalArgumentException("--judge-model needs --llm-base-url and a model other than --llm-model "
                    + "(the sampler refuses a judge that is one of its generators)");
        }
        if (expanderTarget < 0 || timeoutMinutes < 1) {
            throw new IllegalArgumentException("--expander-target must be 0 or more and --timeout at least 1 minute");
        }
        Path home = projectHome().toAbsolutePath().normalize();
        Path file = input != null ? input : home.resolve(SAMPLE);
        if (input == null && ingest.input.textColumn == null) {
            ingest.input.textColumn = "prompt";
        }
        Path output = (outputDir != null ? outputDir
                : Path.of("demo-output", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        if (ingest.rejectFile == null) {
            ingest.rejectFile = output.resolve(file.getFileName() + ".rejects.jsonl");
        }
        if (!skipBuild) {
            packageServices(home, err);
        }
        String apiKey = newApiKey();
        long deadline = System.nanoTime() + Duration.ofMinutes(timeoutMinutes).toNanos();

        DevStack devStack = DevStackCommand.startServers(DevStackOptions.defaults().withPartitions(partitions), err);
        Pipeline pipeline = null;
        boolean stayed = false;
        try {
            String kafka = devStack.endpoints().kafkaBootstrapServers();
            IngestReport report = IngestRun.run(file, ingest, kafka, err, err);
            err.println("starting the five services (embedded defaults" + (llmBaseUrl != null ? ", " + llmModel + " at " + llmBaseUrl : "")
                    + "; expander target " + expanderTarget + " per domain) ...");
            if (llmBaseUrl != null && judgeModel == null) {
                err.println("the sampler's judge stays embedded: it may not be one of the generators; name one with --judge-model");
            }
            long started = System.nanoTime();
            pipeline = Pipeline.start(home, devStack, environment(apiKey, llmKey), READY_TIMEOUT);
            err.printf(Locale.ROOT, "services ready in %.1f s; their logs:%n", (System.nanoTime() - started) / 1e9);
            for (Stage stage : Stage.values()) {
                ServiceProcess service = pipeline.service(stage);
                err.printf("  %-18s port %-5d %s%n", stage.service(), service.port(), service.log());
            }
            err.flush();

            ServiceProcess evaluator = pipeline.service(Stage.EVALUATOR);
            EvaluatorClient evaluation = new EvaluatorClient(URI.create("http://127.0.0.1:" + evaluator.port()), apiKey, Duration.ofSeconds(30));
            Pipeline running = pipeline;
            DrainWatch.Outcome drained = new DrainWatch(kafka, () -> streamingVerdicts(evaluation), POLL, QUIET, err)
                    .await(report.ingested(), remaining(deadline), () -> exited(running), () -> expanderSwept(running));
            if (!drained.drained()) {
                err.printf("the stream had not drained after %d minutes (--timeout); summarising what got through%n", timeoutMinutes);
            } else {
                err.printf(Locale.ROOT, "the stream has drained (%d:%02d after the services were ready)%n",
                        drained.elapsed().toMinutes(), drained.elapsed().toSecondsPart());
            }

            JsonNode benchmark = evaluate(evaluation, output, deadline, err);
            Map<Split, Long> exported = export(pipeline.service(Stage.SAMPLER), apiKey, output, err);
            printSummary(out, report, TopicStatistics.read(kafka), kafka, benchmark, exported, output, pipeline);
            if (keep) {
                stayed = true;
                keepRunning(out, devStack, pipeline, apiKey);
            }
            return drained.drained() ? 0 : 1;
        } finally {
            if (!stayed) {
                err.println("stopping the services, then the servers ...");
                if (pipeline != null) {
                    pipeline.close();
                }
                devStack.close();
            }
        }
    }

    /** Builds the services whose package is missing or older than their sources, from the project home. */
    static void packageServices(Path home, PrintStream err) throws IOException, InterruptedException {
        List<Stage> stale = Pipeline.unpackaged(home);
        if (stale.isEmpty()) {
            return;
        }
        err.println("packaging the services (" + stale.stream().map(Stage::service).collect(Collectors.joining(", "))
                + " missing or older than their sources): " + PACKAGE_COMMAND + " ...");
        List<String> command = new ArrayList<>(List.of(home.resolve("mvnw").toString()));
        command.addAll(List.of(PACKAGE_COMMAND.substring("./mvnw ".length()).split(" ")));
        Process build = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        try (InputStream output = build.getInputStream()) {
            output.transferTo(err);
        }
        if (build.waitFor() != 0) {
            throw new IllegalStateException("packaging the services failed (exit code " + build.exitValue() + "): " + PACKAGE_COMMAND);
        }
    }

    /** The settings each service gets on top of the devstack's endpoints. */
    Map<Stage, Map<String, String>> environment(String apiKey, String llmKey) {
        Map<Stage, Map<String, String>> environment = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            environment.put(stage, new LinkedHashMap<>(Map.of("MISALIGN_API_KEYS", apiKey)));
        }
        Map<String, String> expander = environment.get(Stage.EXPANDER);
        expander.put("EXPANDER_TARGETS_ALL", String.valueOf(expanderTarget));
        // A domain whose generated prompts the verifier keeps dropping stops after a few tries, not the service's 200.
        expander.put("EXPANDER_BUDGET_PER_DOMAIN", String.valueOf(4 * expanderTarget));
        expander.put("EXPANDER_SWEEP_INTERVAL", SWEEP_INTERVAL.toSeconds() + "s");
        // The sample is on prompts.ingested before the services start: it is counted before the first sweep fills domains.
        expander.put("EXPANDER_SWEEP_DELAY", "20s");
        if (!expanderDimensions.isEmpty()) {
            expander.put("EXPANDER_DIMENSIONS", expanderDimensions.stream().map(Dimension::json).distinct().collect(Collectors.joining(",")));
        }
        if (llmBaseUrl == null) {
            return environment;
        }
        String url = llmBaseUrl.toString();
        Map<String, String> classifier = environment.get(Stage.CLASSIFIER);
        classifier.putAll(Map.of("CLASSIFIER_BACKEND", "openai", "CLASSIFIER_OPENAI_BASE_URL", url, "CLASSIFIER_OPENAI_MODEL", llmModel));
        putKey(classifier, "CLASSIFIER_OPENAI_API_KEY", llmKey);
        expander.putAll(Map.of("EXPANDER_GENERATOR_BACKEND", "openai", "EXPANDER_GENERATOR_OPENAI_BASE_URL", url,
                "EXPANDER_GENERATOR_OPENAI_MODEL", llmModel, "EXPANDER_VERIFICATION_BACKEND", "openai",
                "EXPANDER_VERIFICATION_OPENAI_BASE_URL", url, "EXPANDER_VERIFICATION_OPENAI_MODEL", llmModel));
        putKey(expander, "EXPANDER_GENERATOR_OPENAI_API_KEY", llmKey);
        putKey(expander, "EXPANDER_VERIFICATION_OPENAI_API_KEY", llmKey);
        Map<String, String> sampler = environment.get(Stage.SAMPLER);
        String member = "SAMPLER_GENERATORS_POOL_" + LLM_NAME.toUpperCase(Locale.ROOT);
        sampler.putAll(Map.of("SAMPLER_GENERATORS_BACKEND", "openai", member + "_BASE_URL", url, member + "_MODEL", llmModel));
        putKey(sampler, member + "_API_KEY", llmKey);
        if (judgeModel != null) {
            sampler.putAll(Map.of("SAMPLER_JUDGE_BACKEND", "openai", "SAMPLER_JUDGE_OPENAI_BASE_URL", url, "SAMPLER_JUDGE_OPENAI_MODEL", judgeModel));
            putKey(sampler, "SAMPLER_JUDGE_OPENAI_API_KEY", llmKey);
        }
        String target = "EVALUATOR_TARGETS_" + LLM_NAME.toUpperCase(Locale.ROOT);
        Map<String, String> evaluator = environment.get(Stage.EVALUATOR);
        evaluator.putAll(Map.of(target + "_BASE_URL", url, target + "_MODEL", llmModel));
        putKey(evaluator, target + "_API_KEY", llmKey);
        return environment;
    }

    private static void putKey(Map<String, String> environment, String variable, String key) {
        if (!key.isBlank()) {
            environment.put(variable, key);
        }
    }

    /** A fresh key per run: the services accept only it, and it is shown only with --keep. */
    static String newApiKey() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return "demo-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static DrainWatch.Verdicts streamingVerdicts(EvaluatorClient evaluation) {
        try {
            JsonNode status = evaluation.status("streaming");
            long stored = 0;
            for (JsonNode verdicts : status.path("verdictsPerTarget")) {
                stored += verdicts.asLong();
            }
            return new DrainWatch.Verdicts(stored, status.path("expectedVerdicts").asLong());
        } catch (EvaluatorClient.EvaluatorException notStreaming) {
            return null;
        }
    }

    private static String exited(Pipeline pipeline) {
        return pipeline.exited().map(stage -> stage.service() + " exited:\n" + pipeline.service(stage).logTail()).orElse(null);
    }

    /** The expander's per-domain gauges are NaN until its first sweep has read every domain's coverage. */
    private static boolean expanderSwept(Pipeline pipeline) {
        try {
            String metrics = pipeline.service(Stage.EXPANDER).get("/q/metrics").body();
            return metrics.lines().anyMatch(line -> line.startsWith("misalign_expander_domain_target{") && !line.endsWith("NaN"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A run of every target over the test split, followed to the end; its report goes to the output folder. With no pair
     * in the test split yet (a small input), the streaming run's report stands in: every pair, evaluated as it came.
     */
    private static JsonNode evaluate(EvaluatorClient evaluation, Path output, long deadline, PrintStream err) throws IOException, InterruptedException {
        JsonNode status = evaluation.start(Split.TEST.json(), List.of(), null);
        String runId = status.path("runId").asText();
        if (status.path("pairs").asLong() == 0) {
            err.println("the test split has no pairs: the benchmark figures are the streaming run's (every pair as it was stored)");
            runId = "streaming";
        } else {
            err.printf(Locale.ROOT, "evaluating run %s: %,d pairs of the test split, %,d verdicts expected%n", runId,
                    status.path("pairs").asLong(), status.path("expectedVerdicts").asLong());
            while (!"FINISHED".equals(status.path("state").asText())) {
                if (System.nanoTime() > deadline) {
                    err.println("run " + runId + " did not finish within --timeout; its report so far follows");
                    break;
                }
                Thread.sleep(POLL.toMillis());
                status = evaluation.status(runId);
                long stored = 0;
                for (JsonNode verdicts : status.path("verdictsPerTarget")) {
                    stored += verdicts.asLong();
                }
                err.printf(Locale.ROOT, "eval %s: %,d of %,d verdicts%n", runId, stored, status.path("expectedVerdicts").asLong());
            }
        }
        String report = evaluation.report(runId);
        EvalCommand.write(output.resolve(runId + ".json"), report);
        EvalCommand.write(output.resolve(runId + ".html"), evaluation.reportPage(runId));
        return EvaluatorClient.tree(report);
    }

    private static Map<Split, Long> export(ServiceProcess sampler, String apiKey, Path output, PrintStream err) {
        DatasetDownload download = new DatasetDownload(URI.create("http://127.0.0.1:" + sampler.port()), apiKey, Duration.ofSeconds(30));
        Map<Split, Long> lines = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            lines.put(split, download.download(split, output.resolve(split.json() + ".jsonl"), written -> { }));
        }
        err.println("dataset exported to " + output);
        return lines;
    }

    private void printSummary(PrintStream out, IngestReport report, TopicStatistics.Snapshot snapshot, String kafka, JsonNode benchmark,
                                     Map<Split, Long> exported, Path output, Pipeline pipeline) {
        DomainCoverageCounter counter = new DomainCoverageCounter();
        long[] candidates = {0, 0};
        TopicReader.forEach(kafka, Topics.PROMPTS_CLASSIFIED, Duration.ofSeconds(15), record -> counter.addClassified(record.value()));
        TopicReader.forEach(kafka, Topics.PROMPTS_CANDIDATES, Duration.ofSeconds(15), record -> {
            counter.addCandidate(record.value());
            candidates[0]++;
            try {
                if (EventCodec.decode(record.value(), CandidatePrompt.class).prompt().lineage().origin() == Origin.SYNTHETIC) {
                    candidates[1]++;
                }
            } catch (RuntimeException undecodable) {
                // counted by nobody: the dedup stage dead-letters it
            }
        });
        out.println();
        out.println("Summary");
        out.printf(Locale.ROOT, "  rows read:               %,d%n", report.rows());
        out.printf(Locale.ROOT, "  prompts ingested:        %,d%n", report.ingested());
        out.printf(Locale.ROOT, "  rows rejected:           %,d%n", report.rejected());
        out.printf(Locale.ROOT, "  prompts classified:      %,d%n", snapshot.records(Topics.PROMPTS_CLASSIFIED));
        out.printf(Locale.ROOT, "  synthetic prompts:       %,d of %,d candidates (%.1f%%)%n", candidates[1], candidates[0],
                candidates[0] == 0 ? 0.0 : 100.0 * candidates[1] / candidates[0]);
        out.printf(Locale.ROOT, "  near-duplicates removed: %,d%n", snapshot.records(Topics.PROMPTS_DUPLICATES));
        out.printf(Locale.ROOT, "  unique prompts:          %,d%n", snapshot.records(Topics.PROMPTS_UNIQUE));
        out.printf(Locale.ROOT, "  pairs accepted:          %,d%n", snapshot.records(Topics.PAIRS_ACCEPTED));
        out.printf(Locale.ROOT, "  pairs rejected:          %,d%n", snapshot.records(Topics.PAIRS_REJECTED));
        List<String> deadLetters = snapshot.topics().stream().filter(t -> t.topic().endsWith(Topics.DEAD_LETTER_SUFFIX) && t.records() > 0)
                .map(t -> String.format(Locale.ROOT, "%s %,d", t.topic(), t.records())).toList();
        out.println("  dead letters:            " + (deadLetters.isEmpty() ? "none" : String.join(", ", deadLetters)));

        out.println();
        out.println("Prompts per dimension (distinct prompts counted in its domains, of which synthetic; largest domains first)");
        CoverageReport coverage = counter.report(CoverageTargets.defaults(), List.of());
        for (Dimension dimension : coverage.dimensions()) {
            CoverageReport.Totals totals = coverage.totals(dimension);
            String top = coverage.of(dimension).stream().filter(domain -> domain.count() > 0)
                    .sorted(Comparator.comparingInt(DomainCoverage::count).reversed().thenComparing(DomainCoverage::domain)).limit(5)
                    .map(domain -> domain.domain() + " " + domain.count() + " (" + domain.synthetic() + ")").collect(Collectors.joining(", "));
            long filled = coverage.of(dimension).stream().filter(domain -> domain.count() > 0).count();
            out.printf(Locale.ROOT, "  %-9s %,d in %d of %d domains, %,d synthetic (%.1f%%): %s%n", dimension.json(), totals.count(), filled,
                    totals.domains(), totals.synthetic(), 100 * totals.syntheticShare(), top.isEmpty() ? "-" : top);
        }

        out.println();
        out.println("Benchmark of the embedded baseline");
        PrintWriter writer = new PrintWriter(out, true);
        ReportSummary.print(benchmark, writer);
        writer.flush();
        if (judgeModel == null) {
            out.println("  (the embedded sampler's judge and the embedded baseline share the embedding model, so the baseline agrees with"
                    + " the pairs it is scored on nearly by construction: these figures show the run works, not how good a judge it is;"
                    + " on real responses it is near chance, see docs/benchmarks.md)");
        }

        out.println();
        out.println("Written to " + output + ":");
        exported.forEach((split, lines) -> out.printf(Locale.ROOT, "  %-22s %,d pairs%n", split.json() + ".jsonl", lines));
        String runId = benchmark.path("runId").asText();
        out.printf("  %s  the evaluation report, and %s the same as a page%n", runId + ".json", runId + ".html");
        out.println("Service logs: " + pipeline.service(Stage.CLASSIFIER).log().getParent().getParent().getParent()
                + "/<service>/target/<service>-*.log");
        out.flush();
    }

    /** Prints what a user needs to reach the pipeline, then waits for Ctrl-C: services stop first, then the servers. */
    private static void keepRunning(PrintStream out, DevStack devStack, Pipeline pipeline, String apiKey) throws InterruptedException {
        LocalDevStackFile.write(devStack.endpoints());
        out.println();
        out.println("Services (API key below; export it for misalign export, eval and the services' APIs):");
        for (Stage stage : Stage.values()) {
            out.printf("  %-18s http://127.0.0.1:%d  (log %s)%n", stage.service(), pipeline.service(stage).port(), pipeline.service(stage).log());
        }
        out.println("MISALIGN_API_KEY=" + apiKey);
        out.println("MISALIGN_SAMPLER_URL=http://127.0.0.1:" + pipeline.service(Stage.SAMPLER).port());
        out.println("MISALIGN_EVALUATOR_URL=http://127.0.0.1:" + pipeline.service(Stage.EVALUATOR).port());
        DevStackCommand.printEndpoints(devStack.endpoints(), out);
        out.println("running; press Ctrl-C to stop");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            LocalDevStackFile.delete();
            devStack.close();
            stopped.countDown();
        }, "demo-stop"));
        stopped.await();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    static Path projectHome() {
        String home = System.getenv("MISALIGN_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home);
    }
}
