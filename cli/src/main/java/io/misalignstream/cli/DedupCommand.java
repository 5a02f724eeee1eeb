package io.misalignstream.cli;

import io.misalignstream.cli.dedup.DedupReport;
import io.misalignstream.cli.dedup.FileDeduplicator;
import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.cli.ingest.PromptFileReader;
import io.misalignstream.cli.ingest.PromptIngestor;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.InMemoryIndexStore;
import io.misalignstream.simhash.IndexStore;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.RedisIndexStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dedup", mixinStandardHelpOptions = true, subcommands = DedupRebuildCommand.class,
        description = {"Finds the near-duplicates among the prompts of a CSV, TSV, JSONL or plain-text file, in file order, "
                + "with the fingerprints and index of the dedup stage.",
                "Writes one JSON object per row: row (1-based), fingerprint (16 hex digits), decision (unique or duplicate) "
                        + "and, for a duplicate, matchRow (the unique row it duplicates), distance (Hamming, within the radius) and "
                        + "similarity (the estimated Jaccard similarity of the two texts' 5-gram sets that verified it). "
                        + "A row that cannot be read, or has empty text, gets row and error (the reason) instead.",
                "The index is in memory unless --redis is given. A Redis index is shared and persistent: it keeps what every run "
                        + "against its --scope accepted, so a later run also finds duplicates of earlier files (written with matchId, "
                        + "the prompt id, instead of matchRow), and a row decided before (same data set, row and text) gets its "
                        + "earlier decision back. Use a new --scope for a fresh index.",
                "The counts go to standard error."})
final class DedupCommand implements Callable<Integer> {

    static final String DEFAULT_FEATURES = "char3";
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(30);
    /** Epochs this command starts name their fingerprint version, e.g. {@code simhash1-char3:<uuid>}. */

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Optional to picocli so that 'dedup rebuild' parses; required by call().
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The file to deduplicate.")
    Path file;

    @Option(names = "--k", paramLabel = "N",
            description = "Hamming radius for texts of 60 characters or more, 0 to 16 (shorter texts get 2 to 6 bits more, at most 16); within it a "
                    + "fingerprint proposes a near-duplicate (default: ${DEFAULT-VALUE}).")
    int k = FingerprintConfig.DEFAULT_THRESHOLD;

    @Option(names = "--min-similarity", paramLabel = "J",
            description = "Least estimated Jaccard similarity of the two texts' character 5-gram sets for a proposed match to be "
                    + "a near-duplicate, (0, 1] (default: ${DEFAULT-VALUE}; not used with --features simhash1-...).")
    double minSimilarity = DuplicateRule.DEFAULT_MIN_SIMILARITY;

    @Option(names = "--features", paramLabel = "SPEC",
            description = "SimHash features: char<N> or word<N> n-grams (default: ${DEFAULT-VALUE}); keep one setting per Redis scope.")
    String features = DEFAULT_FEATURES;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Keep the index in this Redis (e.g. redis://localhost:6379) instead of in memory: shared and persistent.")
    String redisUrl;

    @Option(names = "--scope", paramLabel = "NAME",
            description = "Name of the index in Redis; runs with the same scope share it (default: ${DEFAULT-VALUE}).")
    String scope = "file";

    @Option(names = "--output", paramLabel = "FILE", description = "Where the JSON lines go (default: standard output).")
    Path output;

    @Mixin
    InputFileOptions input = new InputFileOptions();

    @Override
    public Integer call() throws Exception {
        if (file == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'FILE'");
        }
        if (k < 0 || k > 16) {
            throw new IllegalArgumentException("--k must be between 0 and 16, was " + k);
        }
        FingerprintConfig config;
        try {
            config = FingerprintConfig.parse(features);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--features must be char<N> or word<N>, was '" + features + "'");
        }
        if (scope.isBlank() || scope.contains("{") || scope.contains("}")) {
            throw new IllegalArgumentException("--scope must be a non-empty name without braces, was '" + scope + "'");
        }
        PrintWriter err = spec.commandLine().getErr();
        DedupReport report;
        if (redisUrl == null) {
            IndexStore store = new InMemoryIndexStore();
            store.initialize(config.version());
            report = run(store, config);
        } else {
            Vertx vertx = Vertx.vertx();
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
            try {
                RedisIndexStore store = new RedisIndexStore(redis, scope, RedisIndexStore.DEFAULT_BUCKETS, REDIS_TIMEOUT);
                requireVersion(store, config);
                report = run(store, config);
            } finally {
                redis.close();
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
        err.printf("dedup %s: %,d rows, %,d unique, %,d duplicate, %,d errors in %.1f s (%,.0f rows/s)%n",
                file, report.rows(), report.unique(), report.duplicate(), report.errors(),
                report.elapsed().toMillis() / 1000.0, report.rowsPerSecond());
        err.flush();
        return 0;
    }

    private DedupReport run(IndexStore store, FingerprintConfig config) throws IOException {
        // Only the text is fingerprinted: reading no metadata spares decoding columns nobody sees.
        ColumnSelection columns = new ColumnSelection(input.textColumn, List.of());
        try (PromptFileReader reader = input.open(file, columns);
             NearDuplicateIndex index = new NearDuplicateIndex(store, config, DuplicateRule.of(config, k, minSimilarity),
                     Runtime.getRuntime().availableProcessors());
             Writer out = JsonLinesOutput.open(output, spec.commandLine().getOut())) {
            FileDeduplicator deduplicator = new FileDeduplicator(index, config, input.datasetOf(file),
                    FileDeduplicator.DEFAULT_BATCH_SIZE);
            // On a terminal the JSON lines show the progress themselves; a bar redrawn among them would garble both.
            PromptIngestor.Progress progress = output == null && "auto".equals(input.progress) && System.console() != null
                    ? (bytes, rows, errors) -> { }
                    : input.progressOf(file, "dedup", System.err);
            return deduplicator.run(reader, out, progress);
        }
    }

    /**
     * Starts the scope's index if it has none, and refuses one whose fingerprints were made with other
     * features: comparing fingerprints of different versions finds nonsense.
     */
    private void requireVersion(IndexStore store, FingerprintConfig config) {
        store.initialize(config.version() + ":" + UUID.randomUUID()); // does nothing when the scope holds an index
        String epoch = store.state().epoch();
        String stored = epoch == null ? null : NearDuplicateIndex.versionOf(epoch);
        if (stored != null && !stored.equals(config.version())) {
            throw new IllegalArgumentException("the Redis scope '" + scope + "' holds " + stored
                    + " fingerprints, not " + config.version() + ": use its --features or another --scope");
        }
    }
}
