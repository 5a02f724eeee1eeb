package io.misalignstream.evaluator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import io.misalignstream.evaluator.domain.StoredVerdict;
import io.misalignstream.evaluator.repository.EvaluationStore;
import io.misalignstream.contracts.event.Verdict;
import io.misalignstream.messaging.RetryOnContext;
import io.misalignstream.messaging.TransactionSplit;
import io.misalignstream.resilience.PostgresRefusal;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Stores verdicts as they come, many to a transaction, so that the askers never wait for PostgreSQL: what is given while
 * a transaction is under way goes into the next one. While PostgreSQL cannot take a batch it is tried again with
 * back-off; a verdict lost with a killed process is asked again after the restart and answered from the request cache,
 * not by the target.
 */
@ApplicationScoped
public class VerdictWriter {

    private static final Logger LOG = Logger.getLogger(VerdictWriter.class);
    private static final int MOST_PER_TRANSACTION = 500;
    private static final long STOP_WAIT_SECONDS = 10;

    private record Pending(StoredVerdict verdict, CompletableFuture<Void> stored) {
    }

    private final EvaluationStore store;
    private final RetryOnContext retry;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Set<CompletableFuture<Void>> unstored = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Map<String, AtomicLong> storedPerRun = new ConcurrentHashMap<>();
    private final Counter failures;
    private volatile boolean storeAvailable = true;

    @Inject
    public VerdictWriter(EvaluationStore store, EvaluatorConfig config, MeterRegistry metrics) {
        this(store, new RetryOnContext(config.retry().backOff(), config.retry().storeTimeout()), metrics);
    }

    VerdictWriter(EvaluationStore store, RetryOnContext retry, MeterRegistry metrics) {
        this.store = store;
        this.retry = retry;
        this.failures = Counter.builder("misalign.evaluator.verdict.write.failures")
                .description("Verdict batches PostgreSQL could not take; each was tried again").register(metrics);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        // what is given is written before the service stops, within a bound
        try {
            CompletableFuture.allOf(unstored.toArray(CompletableFuture[]::new)).get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warnf("%d verdicts not stored at shutdown; their questions are asked again after the restart", unstored.size());
        }
    }

    /** Whether PostgreSQL took the last batch of verdicts; readiness reports it. */
    public boolean storeAvailable() {
        return storeAvailable;
    }

    /** Queues the verdict; the future completes once PostgreSQL has it. */
    public CompletableFuture<Void> write(StoredVerdict verdict) {
        Pending pending = new Pending(verdict, new CompletableFuture<>());
        unstored.add(pending.stored());
        pending.stored().whenComplete((done, failure) -> unstored.remove(pending.stored()));
        queue.add(pending);
        writeQueued();
        return pending.stored();
    }

    /** The verdicts in one transaction, tried again while PostgreSQL is unavailable; a refusal for content ends it. */
    private Uni<Void> untilStored(List<StoredVerdict> verdicts) {
        return retry.untilDone(() -> store.storeVerdicts(verdicts), failure -> !PostgresRefusal.isForContent(failure), (failure, retryIn) -> {
            storeAvailable = false;
            failures.increment();
            LOG.warnf("cannot store %d verdicts (%s); trying again in %d ms", verdicts.size(), PostgresRefusal.reason(failure), retryIn.toMillis());
        });
    }

    /** Verdicts of the run stored by this replica since it started: what tells the publisher that figures changed. */
    public long stored(String runId) {
        AtomicLong stored = storedPerRun.get(runId);
        return stored == null ? 0 : stored.get();
    }

    /** Starts a transaction with what is queued, unless one is under way (it starts the next when it ends). */
    private void writeQueued() {
        if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        List<Pending> batch = new ArrayList<>();
        for (Pending next; batch.size() < MOST_PER_TRANSACTION && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        List<StoredVerdict> verdicts = batch.stream().map(Pending::verdict).toList();
        store.isolated(() -> TransactionSplit.write(verdicts, this::untilStored, PostgresRefusal::isForContent)
                        // a verdict refused for what it holds is stored as invalid, with the reason: its question ends
                        .chain(refused -> refused.isEmpty() ? Uni.createFrom().voidItem() : untilStored(refused.stream().map(one -> {
                            LOG.warnf("PostgreSQL refused the verdict on %s (%s); stored as invalid", one.item().item().key(),
                                    PostgresRefusal.reason(one.error()));
                            return new StoredVerdict(one.item().item(), Verdict.INVALID,
                                    "not stored as answered: " + PostgresRefusal.reason(one.error()), one.item().answeredAt());
                        }).toList())))
                .subscribe().with(stored -> {
                    storeAvailable = true;
                    for (Pending pending : batch) {
                        storedPerRun.computeIfAbsent(pending.verdict().item().runId(), run -> new AtomicLong()).incrementAndGet();
                        pending.stored().complete(null);
                    }
                    writing.set(false);
                    writeQueued();
                }, failure -> {
                    // only an invalid verdict refused too: its question is asked again after a restart
                    LOG.errorf(failure, "%d verdicts not stored", verdicts.size());
                    batch.forEach(pending -> pending.stored().completeExceptionally(failure));
                    writing.set(false);
                    writeQueued();
                });
    }
}
