package io.misalignstream.expander.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.expander.domain.DomainCoverage;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.expander.domain.SyntheticPrompts;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.GeneratedPrompt;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.PromptGenerator;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Fills domains under their target with generated prompts. A domain becomes due when a prompt of it arrives
 * and on every sweep; a dispatcher thread claims its slots in Redis (at most the deficit and the budget) and
 * hands each to a worker, which generates the prompt, has it labelled, drops it when verification disagrees,
 * or publishes it to {@code prompts.candidates} and records the slot kept. While a backend is unavailable the
 * workers wait and retry; the listener, which forwards originals, does not depend on them.
 */
@ApplicationScoped
public class ExpansionService {

    private static final Logger LOG = Logger.getLogger(ExpansionService.class);
    private static final int PUBLISH_ATTEMPTS = 3;
    private static final int OPEN_SLOTS_PER_GENERATION = 2;

    private final ExpanderConfig config;
    private final CoverageStore store;
    private final PromptGenerator generator;
    private final PromptClassifier classifier;
    private final CandidateOutput candidates;
    private final Taxonomy taxonomy = Taxonomy.standard();
    private final AcknowledgedPublisher publisher = new AcknowledgedPublisher(PUBLISH_ATTEMPTS);
    private final TypedGuard<GeneratedPrompt> generation;
    private final TypedGuard<Labels> labelling;
    private final Semaphore generating;
    private final Semaphore openSlots;
    private final StartRate startRate;
    private final ExecutorService workers;
    private final BlockingQueue<DomainKey> due = new LinkedBlockingQueue<>();
    private final Set<DomainKey> queued = ConcurrentHashMap.newKeySet();
    private final Map<DomainKey, DomainCoverage> coverage = new ConcurrentHashMap<>();
    private final AtomicBoolean backendsAvailable = new AtomicBoolean(true);
    private final Counter kept;
    private final Counter dropped;
    private final Counter invalid;
    private final Counter unavailable;
    private volatile String epoch;
    private volatile Thread dispatcher;

    public ExpansionService(ExpanderConfig config, CoverageStore store, PromptGenerator generator, PromptClassifier classifier,
                            CandidateOutput candidates, MeterRegistry metrics) {
        this.config = config;
        this.store = store;
        this.generator = generator;
        this.classifier = classifier;
        this.candidates = candidates;
        this.generating = new Semaphore(config.budget().inFlight());
        // A slot whose generator has answered still verifies and publishes; as many again may do so meanwhile,
        // so the generator is kept at its in-flight budget instead of waiting on that tail.
        this.openSlots = new Semaphore(OPEN_SLOTS_PER_GENERATION * config.budget().inFlight());
        this.startRate = new StartRate(config.budget().perMinute());
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(OPEN_SLOTS_PER_GENERATION * config.budget().inFlight(), task -> {
            Thread thread = new Thread(task, "expander-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.kept = Counter.builder("misalign.expander.synthetic").tag("outcome", "kept")
                .description("Synthetic prompts published to prompts.candidates").register(metrics);
        this.dropped = Counter.builder("misalign.expander.synthetic").tag("outcome", "dropped")
                .description("Synthetic prompts dropped because their label disagreed with the target domain").register(metrics);
        this.invalid = Counter.builder("misalign.expander.synthetic").tag("outcome", "invalid")
                .description("Slots given up because the generator's or the classifier's answer stayed invalid").register(metrics);
        this.unavailable = Counter.builder("misalign.expander.backend.errors").tag("kind", "unavailable")
                .description("Generator or classifier calls that failed for now").register(metrics);
        Gauge.builder("misalign.expander.verification.agreement", this, service -> service.agreement())
                .description("Share of verified synthetic prompts whose label agreed with the target domain").register(metrics);
        this.generation = guard(GeneratedPrompt.class, "generator");
        this.labelling = guard(Labels.class, "verification-classifier");
        for (DomainKey key : domains()) {
            Tags tags = Tags.of("dimension", key.dimension().json(), "domain", key.domain());
            gauge(metrics, "misalign.expander.domain.prompts", "Distinct prompts counted in the domain", tags, key, DomainCoverage::count);
            gauge(metrics, "misalign.expander.domain.target", "The domain's target", tags, key, DomainCoverage::target);
            gauge(metrics, "misalign.expander.domain.deficit", "Prompts the domain lacks to its target", tags, key, DomainCoverage::deficit);
            gauge(metrics, "misalign.expander.domain.generated", "Slots generated for the domain", tags, key, DomainCoverage::generated);
            gauge(metrics, "misalign.expander.domain.dropped", "Generated prompts of the domain dropped by verification", tags, key, DomainCoverage::dropped);
        }
    }

    private void gauge(MeterRegistry metrics, String name, String description, Tags tags, DomainKey key,
                       ToDoubleFunction<DomainCoverage> field) {
        Gauge.builder(name, coverage, all -> all.containsKey(key) ? field.applyAsDouble(all.get(key)) : Double.NaN)
                .description(description).tags(tags).register(metrics);
    }

    private double agreement() {
        double verified = kept.count() + dropped.count();
        return verified == 0 ? Double.NaN : kept.count() / verified;
    }

    private <T> TypedGuard<T> guard(Class<T> type, String name) {
        ExpanderConfig.Retry retry = config.retry();
        return TypedGuard.create(type)
                .withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(0, ChronoUnit.MILLIS)
                    .retryOn(List.of(BackendUnavailableException.class, CircuitBreakerOpenException.class))
                    .onRetry(unavailable::increment)
                    .withExponentialBackoff().factor(2).maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS).done()
                    .done()
                .withCircuitBreaker()
                    .name(name)
                    .failOn(BackendUnavailableException.class)
                    .onStateChange(state -> LOG.infof("%s circuit %s", name, state))
                    .done()
                .build();
    }

    /** Every domain of the expanded dimensions. */
    public List<DomainKey> domains() {
        List<DomainKey> domains = new ArrayList<>();
        for (Dimension dimension : Dimension.values()) {
            if (config.dimensions().contains(dimension)) {
                taxonomy.namedDomains(dimension).forEach(domain -> domains.add(new DomainKey(dimension, domain.id())));
            }
        }
        return domains;
    }

    void start(@Observes StartupEvent started) {
        epoch = store.epoch();
        dispatcher = new Thread(this::dispatch, "expander-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
        LOG.infof("expanding %d domains (epoch %s), up to %d generations at once", domains().size(), epoch, config.budget().inFlight());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        workers.shutdownNow();
    }

    /** Whether the generator and the classifier answered at the last attempt; the wellness check reports it. */
    public boolean backendsAvailable() {
        return backendsAvailable.get();
    }

    /** Marks domains as due for a deficit check (prompts of them just arrived). */
    public void due(Collection<DomainKey> keys) {
        for (DomainKey key : keys) {
            if (config.dimensions().contains(key.dimension()) && queued.add(key)) {
                due.add(key);
            }
        }
    }

    /** Every domain due: one with no traffic reaches its target too. Also refreshes the per-domain metrics. */
    @Scheduled(every = "${expander.sweep-interval:30s}", delayed = "${expander.sweep-delay:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void sweep() {
        try {
            refreshCoverage();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the expansion state (%s); sweeping anyway", e.getMessage());
        }
        due(domains());
    }

    /** Reads every domain's coverage from Redis. */
    public List<DomainCoverage> refreshCoverage() {
        List<DomainCoverage> all = new ArrayList<>();
        for (DomainKey key : domains()) {
            DomainCoverage current = store.coverage(key, config.target(key.dimension(), key.domain()));
            coverage.put(key, current);
            all.add(current);
        }
        return all;
    }

    private void dispatch() {
        Duration backOff = config.retry().initialDelay();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                DomainKey key = due.take();
                queued.remove(key);
                try {
                    claimAll(key);
                    backOff = config.retry().initialDelay();
                } catch (RuntimeException redisDown) {
                    LOG.warnf("cannot claim slots of %s (%s); trying again in %d ms", key, redisDown.getMessage(), backOff.toMillis());
                    Thread.sleep(backOff.toMillis());
                    backOff = min(backOff.multipliedBy(2), config.retry().maxDelay());
                    due(List.of(key));
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void claimAll(DomainKey key) throws InterruptedException {
        int target = config.target(key.dimension(), key.domain());
        while (true) {
            openSlots.acquire();
            generating.acquire();
            long slot;
            try {
                slot = store.claim(key, target, config.budget().perDomain());
            } catch (RuntimeException e) {
                generating.release();
                openSlots.release();
                throw e;
            }
            if (slot < 0) {
                generating.release();
                openSlots.release();
                return;
            }
            startRate.acquire();
            workers.execute(() -> {
                GenerationPermit permit = new GenerationPermit(generating);
                try {
                    fill(key, slot, permit);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // The slot stays claimed; after expander.slot-timeout a sweep generates it again.
                    LOG.errorf(e, "slot %d of %s failed", slot, key);
                } finally {
                    permit.release();
                    openSlots.release();
                }
            });
        }
    }

    /** Generates, labels, verifies and publishes one slot, then records how it ended. */
    private void fill(DomainKey key, long slot, GenerationPermit permit) throws InterruptedException {
        String id = SyntheticPrompts.id(epoch, key, slot);
        List<CoverageStore.Example> examples = store.reservoir(key);
        Domain domain = taxonomy.find(key.dimension(), key.domain()).orElseThrow();
        GenerationRequest request = new GenerationRequest(domain, slot, examples.stream().map(CoverageStore.Example::text).toList());
        GeneratedPrompt generated;
        Labels labels;
        try {
            try {
                generated = untilAnswered(() -> generation.get(() -> generator.generate(request)));
            } finally {
                permit.release();
            }
            labels = untilAnswered(() -> labelling.get(() -> classifier.classify(generated.text())));
        } catch (InvalidAnswerException e) {
            invalid.increment();
            LOG.warnf("slot %d of %s given up: %s", slot, key, e.getMessage());
            store.finish(key, slot, id, false);
            return;
        }
        if (config.verification().enabled() && !SyntheticPrompts.agrees(labels, key)) {
            dropped.increment();
            LOG.infof("dropped slot %d of %s: labelled %s '%s'", slot, key, labels.of(key.dimension()).primary(), abbreviate(generated.text()));
            store.finish(key, slot, id, false);
            return;
        }
        List<String> parentIds = examples.stream().map(CoverageStore.Example::id).toList();
        CandidatePrompt candidate = SyntheticPrompts.candidate(id, key, slot, generated, parentIds, labels);
        publisher.publishAll(List.of(candidates.of(candidate)));
        store.finish(key, slot, id, true);
        kept.increment();
        due(List.of(key));
    }

    /** The backend's answer; while it is unavailable, waits with back-off and asks again. */
    private <T> T untilAnswered(Supplier<T> call) throws InterruptedException {
        Duration backOff = config.retry().initialDelay();
        while (true) {
            try {
                T answer = call.get();
                backendsAvailable.set(true);
                return answer;
            } catch (BackendUnavailableException | CircuitBreakerOpenException e) {
                unavailable.increment();
                backendsAvailable.set(false);
                LOG.debugf("backend unavailable (%s); waiting %d ms", e.getMessage(), backOff.toMillis());
                TimeUnit.MILLISECONDS.sleep(backOff.toMillis());
                backOff = min(backOff.multipliedBy(2), config.retry().maxDelay());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
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
