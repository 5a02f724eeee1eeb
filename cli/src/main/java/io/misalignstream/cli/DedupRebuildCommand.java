package io.misalignstream.cli;

import io.misalignstream.cli.dedup.TopicIndexRebuild;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.simhash.DedupScope;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.IndexRebuild;
import io.misalignstream.simhash.RedisIndexStore;
import io.misalignstream.simhash.ScopeKind;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Rebuilds the dedup service's near-duplicate index in Redis from prompts.unique and prompts.duplicates, "
                + "after Redis lost it. The dedup replicas hold their batches while the index is missing and go on with the "
                + "rebuilt one, deciding every prompt as before the loss.",
                "The options must match the service's dedup.* settings."})
final class DedupRebuildCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--redis", paramLabel = "URL",
            description = "The service's Redis (default: $REDIS_URL, then the devstack started by 'misalign devstack', "
                    + "then redis://localhost:6379).")
    String redisUrl;

    @Option(names = "--index-name", paramLabel = "NAME", description = "dedup.index.name (default: ${DEFAULT-VALUE}).")
    String indexName = "prompts";

    @Option(names = "--features", paramLabel = "SPEC", description = "dedup.features (default: ${DEFAULT-VALUE}).")
    String features = DedupCommand.DEFAULT_FEATURES;

    @Option(names = "--scope", paramLabel = "KIND", description = "dedup.scope.kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ScopeKind scopeKind = ScopeKind.GLOBAL;

    @Option(names = "--scope-dimension", paramLabel = "DIMENSION",
            description = "dedup.scope.dimension, with --scope domain: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Dimension scopeDimension = Dimension.SAFETY;

    @Option(names = "--buckets", paramLabel = "N", description = "dedup.index.buckets (default: ${DEFAULT-VALUE}).")
    int buckets = RedisIndexStore.DEFAULT_BUCKETS;

    @Option(names = "--settle", paramLabel = "SECONDS",
            description = "Wait before reading, so that batches committed just before the loss are published (default: ${DEFAULT-VALUE}; "
                    + "a replica retries a publish for up to 3 x delivery.timeout.ms, 6 minutes with Kafka's defaults).")
    int settleSeconds = 30;

    @Option(names = "--replace", description = "Rebuild every scope, also those Redis still holds (they stop accepting until rebuilt).")
    boolean replace;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        DedupScope scope = new DedupScope(indexName, scopeKind, scopeDimension);
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(resolveRedis()));
        try {
            TopicIndexRebuild.Report report = new TopicIndexRebuild(kafka.resolve(), redis, scope, FingerprintConfig.parse(features),
                    buckets, Duration.ofSeconds(30)).run(replace, Duration.ofSeconds(settleSeconds),
                    read -> err.printf("\rread %,d records", read).flush());
            err.println();
            for (Map.Entry<String, IndexRebuild.Result> scopeResult : report.scopes().entrySet()) {
                IndexRebuild.Result result = scopeResult.getValue();
                err.printf("%s: %,d accepted prompts, %,d duplicate decisions restored, %,d duplicates without their match%n",
                        scopeResult.getKey(), result.accepted(), result.rejected(), result.orphaned());
            }
            if (!report.kept().isEmpty()) {
                err.printf("%,d scopes still had their index and were kept%n", report.kept().size());
            }
            err.printf("%,d records read, %,d unreadable, %,d of another fingerprint version (migrated to %s)%n",
                    report.recordsRead(), report.unreadable(), report.migrated(), FingerprintConfig.parse(features).version());
            err.flush();
            return 0;
        } finally {
            redis.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private String resolveRedis() {
        return LocalDevStackFile.resolve(redisUrl, DevStack.ENV_REDIS, "redis://localhost:6379");
    }
}
