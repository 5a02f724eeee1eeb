package io.misalignstream.evaluator.service;

import io.misalignstream.evaluator.repository.EvaluationStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import io.misalignstream.evaluator.domain.StoredVerdict;
import io.misalignstream.messaging.RetryOnContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Stores verdicts as they come, many to a transaction, so that the askers never wait for PostgreSQL. While PostgreSQL
 * cannot take them the batch is tried again with back-off; a verdict lost with a killed process is asked again after
 * the restart and answered from the request cache, not by the target.
 */
@ApplicationScoped
public class VerdictWriter {

    private static final Logger LOG = Logger.getLogger(VerdictWriter.class);
    private static final int MOST_PER_TRANSACTION = 500;

    private final EvaluationStore store;
    private final EvaluatorConfig.Retry retry;
    private final LinkedBlockingQueue<StoredVerdict> queue = new LinkedBlockingQueue<>();
    private final Map<String, AtomicLong> storedPerRun = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pendingPerRun = new ConcurrentHashMap<>();
    private final Counter failures;
    private volatile boolean storeAvailable = true;
    private Thread thread;

    public VerdictWriter(EvaluationStore store, EvaluatorConfig config, MeterRegistry metrics) {
        this.store = store;
        this.retry = config.retry();
        this.failures = Counter.builder("misalign.evaluator.verdict.write.failures")
                .description("Verdict batches PostgreSQL could not take; each was tried again").register(metrics);
    }

    void start(@Observes StartupEvent started) {
        thread = new Thread(this::drain, "evaluator-verdict-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        // what is queued is written before the service stops
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pendingPerRun.values().stream().anyMatch(waiting -> waiting.get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        thread.interrupt();
    }

    /** Whether PostgreSQL took the last batch of verdicts; readiness reports it. */
    public boolean storeAvailable() {
        return storeAvailable;
    }

    public void write(StoredVerdict verdict) {
        pendingPerRun.computeIfAbsent(verdict.item().runId(), run -> new AtomicLong()).incrementAndGet();
        queue.add(verdict);
    }

    /** Verdicts of the run stored by this replica since it started: what tells the publisher that figures changed. */
    public long stored(String runId) {
        AtomicLong stored = storedPerRun.get(runId);
        return stored == null ? 0 : stored.get();
    }

    /** Verdicts of the run given but not stored yet. */
    public long pending(String runId) {
        AtomicLong waiting = pendingPerRun.get(runId);
        return waiting == null ? 0 : waiting.get();
    }

    private void drain() {
        List<StoredVerdict> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                StoredVerdict first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MOST_PER_TRANSACTION - 1);
                Duration wait = retry.backOff().initial();
                while (true) {
                    try {
                        // a store that gets no answer (its connection died with the server) is given up and tried again
                        VertxContextSupport.subscribeAndAwait(() -> store.storeVerdicts(batch).ifNoItem().after(retry.storeTimeout())
                                .failWith(() -> new RetryOnContext.AttemptTimedOutException(retry.storeTimeout())));
                        storeAvailable = true;
                        break;
                    } catch (Throwable e) {
                        storeAvailable = false;
                        failures.increment();
                        LOG.warnf("cannot store %d verdicts (%s); trying again in %d ms", batch.size(), e.getMessage(), wait.toMillis());
                        Thread.sleep(wait.toMillis());
                        wait = retry.backOff().after(wait);
                    }
                }
                for (StoredVerdict verdict : batch) {
                    storedPerRun.computeIfAbsent(verdict.item().runId(), run -> new AtomicLong()).incrementAndGet();
                    pendingPerRun.get(verdict.item().runId()).decrementAndGet();
                }
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
