package io.misalignstream.expander.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.expander.domain.DomainCoverage;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.PromptGenerator;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.resilience.TransientFailure;
import io.misalignstream.resilience.UntilAvailable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Fills domains under their target with generated prompts. A domain becomes due when a prompt of it arrives and on
 * every sweep; the {@link SlotDispatcher} claims its slots and the {@link SlotFiller} generates, labels, verifies and
 * publishes each to {@code prompts.candidates}. While a backend is unavailable the slots wait and ask again; the
 * listener, which forwards originals, does not depend on them.
 */
@ApplicationScoped
public class ExpansionService {

    private static final Logger LOG = Logger.getLogger(ExpansionService.class);

    private final ExpanderConfig config;
    private final CoverageStore store;
    private final List<DomainKey> domains;
    private final Map<DomainKey, DomainCoverage> coverage = new ConcurrentHashMap<>();
    private final AtomicBoolean backendsAvailable = new AtomicBoolean(true);
    private final SlotDispatcher dispatcher;
    private final BatchDrain drain;

    public ExpansionService(ExpanderConfig config, CoverageStore store, PromptGenerator generator, PromptClassifier classifier,
                            CandidateOutput candidates, MeterRegistry metrics, BatchDrain drain) {
        this.config = config;
        this.drain = drain;
        this.store = store;
        this.domains = domainsOf(config);
        Counter unavailable = ExpanderBackends.unavailable(metrics);
        UntilAvailable untilAnswered = new UntilAvailable(config.retry().backOff(), TransientFailure::isTransient, new UntilAvailable.Listener() {
            @Override
            public void unavailable(Throwable failure, Duration retryIn) {
                unavailable.increment();
                backendsAvailable.set(false);
                LOG.debugf("backend unavailable (%s); waiting %d ms", failure.getMessage(), retryIn.toMillis());
            }

            @Override
            public void available() {
                backendsAvailable.set(true);
            }
        });
        SlotFiller filler = new SlotFiller(store, generator, classifier, config.verification().enabled(), untilAnswered,
                candidate -> AcknowledgedPublisher.publishAll(List.of(candidates.of(candidate))));
        this.dispatcher = new SlotDispatcher(store, filler, new ExpansionMetrics(metrics, domains, coverage),
                key -> config.target(key.dimension(), key.domain()), config.budget(), config.retry().backOff());
    }

    private static List<DomainKey> domainsOf(ExpanderConfig config) {
        List<DomainKey> domains = new ArrayList<>();
        for (Dimension dimension : Dimension.values()) {
            if (config.dimensions().contains(dimension)) {
                Taxonomy.standard().namedDomains(dimension).forEach(domain -> domains.add(new DomainKey(dimension, domain.id())));
            }
        }
        return List.copyOf(domains);
    }

    /** Every domain of the expanded dimensions. */
    public List<DomainKey> domains() {
        return domains;
    }

    void start(@Observes StartupEvent started) {
        dispatcher.start();
        LOG.infof("expanding %d domains, up to %d generations at once", domains.size(), config.budget().inFlight());
    }

    void stop(@Observes @Priority(BatchDrain.STOP_WORKERS_FIRST) ShutdownEvent stopping) throws InterruptedException {
        dispatcher.stop(drain);
    }

    /** Whether the generator and the classifier answered at the last attempt; the wellness check reports it. */
    public boolean backendsAvailable() {
        return backendsAvailable.get();
    }

    /** Marks domains as due for a deficit check (prompts of them just arrived). */
    public void due(Collection<DomainKey> keys) {
        for (DomainKey key : keys) {
            if (config.dimensions().contains(key.dimension())) {
                dispatcher.due(key);
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
        due(domains);
    }

    /** Reads every domain's coverage from Redis. */
    public List<DomainCoverage> refreshCoverage() {
        List<DomainCoverage> all = new ArrayList<>();
        for (DomainKey key : domains) {
            DomainCoverage current = store.coverage(key, config.target(key.dimension(), key.domain()));
            coverage.put(key, current);
            all.add(current);
        }
        return all;
    }
}
