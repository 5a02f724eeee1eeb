package io.misalignstream.expander.service;

import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.resilience.BackOff;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * Turns due domains into filled slots within the budget: one dispatcher thread takes each due domain, claims its slots
 * in the ledger (at most the deficit and the per-domain budget) and hands each to a worker that fills it, with at most
 * {@code budget.in-flight} generations at once and {@code budget.per-minute} started per minute. A kept slot makes its
 * domain due again, until the ledger has no slot left for it.
 */
final class SlotDispatcher {

    private static final Logger LOG = Logger.getLogger(SlotDispatcher.class);
    // A slot whose generator has answered still verifies and publishes; as many again may do so meanwhile,
    // so the generator is kept at its in-flight budget instead of waiting on that tail.
    private static final int OPEN_SLOTS_PER_GENERATION = 2;

    private final SlotLedger ledger;
    private final SlotFiller filler;
    private final ExpansionMetrics metrics;
    private final ToIntFunction<DomainKey> target;
    private final int perDomain;
    private final BackOff backOff;
    private final Semaphore generating;
    private final Semaphore openSlots;
    private final StartRate startRate;
    private final ExecutorService workers;
    private final BlockingQueue<DomainKey> due = new LinkedBlockingQueue<>();
    private final Set<DomainKey> queued = ConcurrentHashMap.newKeySet();
    private volatile String epoch;
    private volatile Thread dispatcher;

    SlotDispatcher(SlotLedger ledger, SlotFiller filler, ExpansionMetrics metrics, ToIntFunction<DomainKey> target,
                   ExpanderConfig.Budget budget, BackOff backOff) {
        this.ledger = ledger;
        this.filler = filler;
        this.metrics = metrics;
        this.target = target;
        this.perDomain = budget.perDomain();
        this.backOff = backOff;
        this.generating = new Semaphore(budget.inFlight());
        this.openSlots = new Semaphore(OPEN_SLOTS_PER_GENERATION * budget.inFlight());
        this.startRate = new StartRate(budget.perMinute());
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(OPEN_SLOTS_PER_GENERATION * budget.inFlight(), task -> {
            Thread thread = new Thread(task, "expander-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        Thread thread = new Thread(this::dispatch, "expander-dispatcher");
        thread.setDaemon(true);
        dispatcher = thread;
        thread.start();
    }

    /**
     * Claims no more slots and lets the slots being filled finish (published and recorded) within the stop's deadline:
     * a slot abandoned half way is generated again by another replica after {@code slot-timeout}, its generation paid
     * twice.
     */
    void stop(BatchDrain drain) throws InterruptedException {
        Thread claiming = dispatcher;
        if (claiming != null) {
            claiming.interrupt();
            // a slot it has claimed reaches a worker before the workers stop taking slots
            claiming.join(TimeUnit.SECONDS.toMillis(5));
        }
        drain.finish(workers, "slots being filled");
    }

    /** Marks a domain due for a deficit check; one already waiting is not queued twice. */
    void due(DomainKey key) {
        if (queued.add(key)) {
            due.add(key);
        }
    }

    private void dispatch() {
        Duration wait = backOff.initial();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                DomainKey key = due.take();
                queued.remove(key);
                try {
                    claimAll(key);
                    wait = backOff.initial();
                } catch (RuntimeException redisDown) {
                    LOG.warnf("cannot claim slots of %s (%s); trying again in %d ms", key, redisDown.getMessage(), wait.toMillis());
                    Thread.sleep(wait.toMillis());
                    wait = backOff.after(wait);
                    due(key);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void claimAll(DomainKey key) throws InterruptedException {
        int domainTarget = target.applyAsInt(key);
        while (true) {
            openSlots.acquire();
            generating.acquire();
            Optional<SlotLedger.Claim> claimed;
            try {
                claimed = ledger.claim(key, domainTarget, perDomain);
            } catch (RuntimeException e) {
                generating.release();
                openSlots.release();
                throw e;
            }
            if (claimed.isEmpty()) {
                generating.release();
                openSlots.release();
                return;
            }
            SlotLedger.Claim claim = claimed.get();
            noteEpoch(claim.epoch());
            startRate.acquire();
            workers.execute(() -> fill(key, claim));
        }
    }

    private void noteEpoch(String claimed) {
        String before = epoch;
        if (!claimed.equals(before)) {
            epoch = claimed;
            if (before == null) {
                LOG.infof("expansion state epoch %s", claimed);
            } else {
                LOG.warnf("the expansion state was started afresh (epoch %s, before %s): its slots are numbered again under new ids", claimed, before);
            }
        }
    }

    private void fill(DomainKey key, SlotLedger.Claim claim) {
        long slot = claim.slot();
        GenerationPermit permit = new GenerationPermit(generating);
        try {
            SlotFiller.Outcome outcome = filler.fill(claim, key, permit::release);
            metrics.ended(outcome);
            if (outcome == SlotFiller.Outcome.KEPT) {
                due(key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The slot stays claimed; after expander.slot-timeout a sweep generates it again.
            LOG.errorf(e, "slot %d of %s failed", slot, key);
        } finally {
            permit.release();
            openSlots.release();
        }
    }

    /** A slot's share of the generator's in-flight budget, given back once, as soon as the generator has answered. */
    static final class GenerationPermit {

        private final Semaphore generating;
        private final AtomicBoolean held = new AtomicBoolean(true);

        GenerationPermit(Semaphore generating) {
            this.generating = generating;
        }

        void release() {
            if (held.compareAndSet(true, false)) {
                generating.release();
            }
        }
    }

    /** Spaces generation starts so that at most {@code perMinute} begin in any minute. */
    static final class StartRate {

        private final long intervalNanos;
        private long next = System.nanoTime();

        StartRate(int perMinute) {
            this.intervalNanos = TimeUnit.MINUTES.toNanos(1) / Math.max(1, perMinute);
        }

        synchronized void acquire() throws InterruptedException {
            long now = System.nanoTime();
            if (next > now) {
                TimeUnit.NANOSECONDS.sleep(next - now);
            }
            next = Math.max(next, now) + intervalNanos;
        }
    }
}
