package io.misalignstream.dedup.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.dedup.config.DedupConfig;
import io.misalignstream.dedup.domain.PromptDeduplicator;
import io.misalignstream.dedup.domain.PromptDeduplicator.Outcome;
import io.misalignstream.dedup.health.IndexAvailability;
import io.misalignstream.simhash.DedupScope;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.IndexRegistry;
import io.misalignstream.simhash.IndexStore;
import io.misalignstream.simhash.IndexUnavailableException;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.RedisIndexStore;
import io.misalignstream.simhash.RedisIndexStore.RedisUnavailableException;
import io.misalignstream.resilience.ItemResult;
import io.misalignstream.resilience.UntilAvailable;
import io.vertx.redis.client.Redis;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Decides batches of candidates against the shared Redis index, waiting (with back-off) while the
 * index cannot be used, so that no candidate is ever passed as unique unchecked.
 */
@ApplicationScoped
public class DedupService {

    private static final Logger LOG = Logger.getLogger(DedupService.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final PromptDeduplicator deduplicator;
    private final Admin admin;
    private final Map<String, IndexStore> stores = new ConcurrentHashMap<>();
    private final Counter accepted;
    private final Counter rejected;
    private final Counter unavailable;
    private final Timer callLatency;
    private final UntilAvailable untilAvailable;

    public DedupService(DedupConfig config, Redis redis, IndexAvailability availability, MeterRegistry metrics,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        FingerprintConfig features = FingerprintConfig.parse(config.features());
        int lookupThreads = config.lookupThreads() > 0 ? config.lookupThreads() : Runtime.getRuntime().availableProcessors();
        DedupScope scope = new DedupScope(config.index().name(), config.scope().kind(), config.scope().dimension());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        IndexRegistry registry = new IndexRegistry(redis, config.index().name(), config.index().timeout());
        Function<String, IndexStore> storeOf = name -> stores.computeIfAbsent(name,
                key -> new RedisIndexStore(redis, key, config.index().buckets(), config.index().timeout()));
        DuplicateRule rule = DuplicateRule.of(features, config.threshold(), config.minSimilarity());
        this.deduplicator = new PromptDeduplicator(features, rule, scope,
                name -> new NearDuplicateIndex(storeOf.apply(name), features, rule, lookupThreads),
                new EmptyPipelineInitializer(config.index().autoInitialize(), features.version(), registry, storeOf, admin));

        this.accepted = Counter.builder("misalign.dedup.prompts").tag("decision", "unique")
                .description("Candidates accepted as unique").register(metrics);
        this.rejected = Counter.builder("misalign.dedup.prompts").tag("decision", "duplicate")
                .description("Candidates rejected as near-duplicates").register(metrics);
        this.unavailable = Counter.builder("misalign.dedup.index.unavailable")
                .description("Batches held back because the index could not be used").register(metrics);
        this.callLatency = Timer.builder("misalign.dedup.index.call")
                .description("Deciding one batch: local lookups plus the atomic check-and-insert in Redis, and the wait for the batch before it")
                .publishPercentileHistogram().register(metrics);
        FunctionCounter.builder("misalign.dedup.lookups", deduplicator, PromptDeduplicator::lookups)
                .description("Candidates looked up in the index").register(metrics);
        FunctionCounter.builder("misalign.dedup.candidates.examined", deduplicator, PromptDeduplicator::candidatesExamined)
                .description("Stored fingerprints compared with candidates; divided by lookups, the cost of one lookup")
                .register(metrics);
        FunctionCounter.builder("misalign.dedup.commit.attempts", deduplicator, PromptDeduplicator::commitAttempts)
                .description("Check-and-insert calls, retries after another replica's commit included").register(metrics);
        Gauge.builder("misalign.dedup.index.entries", deduplicator, PromptDeduplicator::indexedPrompts)
                .description("Accepted prompts in this replica's copy of the index").register(metrics);
        this.untilAvailable = new UntilAvailable(config.retry().backOff(), DedupService::indexUnavailable, new UntilAvailable.Listener() {
            private long lastLog = System.nanoTime() - LOG_EVERY.toNanos() - 1;

            @Override
            public void unavailable(Throwable failure, Duration retryIn) {
                availability.unavailable(failure.getMessage());
                unavailable.increment();
                if (System.nanoTime() - lastLog > LOG_EVERY.toNanos()) {
                    LOG.warnf("near-duplicate index unavailable, holding the batch and retrying: %s", failure.getMessage());
                    lastLog = System.nanoTime();
                }
            }

            @Override
            public void available() {
                availability.available();
            }
        });
        LOG.infof("near-duplicate index %s: features %s (%s), k = %d%s, scope %s, %d lookup threads",
                config.index().name(), config.features(), features.version(), config.threshold(),
                rule.verified() ? " (up to " + rule.maxRadius() + " for short texts), similarity >= " + rule.minSimilarity() : "",
                config.scope().kind(), lookupThreads);
    }

    /**
     * One result per candidate, in order: decided unique or duplicate, or failed for a reason of its own (its id was
     * decided for another text, for one). Waits while Redis or the index is unavailable, so that no candidate is passed
     * as unique unchecked.
     *
     * @throws InterruptedException when the service stops while waiting; nothing was decided for the batch then
     */
    public List<ItemResult<Outcome>> decide(List<CandidatePrompt> candidates) throws InterruptedException {
        try {
            return untilAvailable.call(() -> decideNow(candidates)).stream().map(DedupService::result).toList();
        } catch (RuntimeException batchFailure) {
            // Something in the batch breaks deciding: decide one by one, so only the culprit fails.
            LOG.warnf(batchFailure, "a batch of %d candidates failed; deciding them one by one", candidates.size());
            List<ItemResult<Outcome>> results = new ArrayList<>(candidates.size());
            for (CandidatePrompt candidate : candidates) {
                try {
                    results.add(result(untilAvailable.call(() -> decideNow(List.of(candidate))).get(0)));
                } catch (RuntimeException e) {
                    results.add(ItemResult.failed("dedup failed: " + e, e));
                }
            }
            return results;
        }
    }

    private List<Outcome> decideNow(List<CandidatePrompt> candidates) {
        Timer.Sample sample = Timer.start();
        List<Outcome> outcomes = deduplicator.decide(candidates);
        sample.stop(callLatency);
        for (Outcome outcome : outcomes) {
            if (!(outcome instanceof Outcome.Refused)) {
                (outcome instanceof Outcome.Unique ? accepted : rejected).increment();
            }
        }
        return outcomes;
    }

    /** A refused candidate (its id was decided for another text) goes to the dead-letter topic with the reason. */
    private static ItemResult<Outcome> result(Outcome outcome) {
        return outcome instanceof Outcome.Refused refused ? ItemResult.failed(refused.reason(), null) : ItemResult.done(outcome);
    }

    private static boolean indexUnavailable(Throwable failure) {
        return failure instanceof IndexUnavailableException || failure instanceof RedisUnavailableException;
    }

    @PreDestroy
    void close() {
        deduplicator.close();
        admin.close(Duration.ofSeconds(5));
    }
}
