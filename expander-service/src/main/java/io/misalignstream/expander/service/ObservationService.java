package io.misalignstream.expander.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.resilience.UntilAvailable;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Counts each classified prompt in its domains (primary and further, per expanded dimension) and keeps
 * the reservoirs. While Redis does not answer, the batch waits with back-off: counts are never skipped.
 */
@ApplicationScoped
public class ObservationService {

    private static final Logger LOG = Logger.getLogger(ObservationService.class);

    private final CoverageStore store;
    private final ExpanderConfig config;
    private final Counter counted;
    private final AtomicBoolean stateAvailable = new AtomicBoolean(true);
    private final UntilAvailable untilStored;

    public ObservationService(CoverageStore store, ExpanderConfig config, MeterRegistry metrics) {
        this.store = store;
        this.config = config;
        this.counted = Counter.builder("misalign.expander.counted")
                .description("Prompt-domain pairs counted for the first time (re-deliveries are not)").register(metrics);
        this.untilStored = new UntilAvailable(config.retry().backOff(), failure -> failure instanceof RuntimeException, new UntilAvailable.Listener() {
            @Override
            public void unavailable(Throwable failure, Duration retryIn) {
                stateAvailable.set(false);
                LOG.warnf("cannot count a prompt in Redis (%s); trying again in %d ms", failure.getMessage(), retryIn.toMillis());
            }

            @Override
            public void available() {
                stateAvailable.set(true);
            }
        });
    }

    /** The domains the prompt counts in. */
    public List<DomainKey> domainsOf(ClassifiedPrompt prompt) {
        Set<DomainKey> domains = new LinkedHashSet<>();
        for (Dimension dimension : config.dimensions()) {
            DimensionLabel label = prompt.labels().of(dimension);
            if (!label.isNone()) {
                domains.add(new DomainKey(dimension, label.primary()));
            }
            for (DomainScore further : label.further()) {
                domains.add(new DomainKey(dimension, further.domain()));
            }
        }
        return new ArrayList<>(domains);
    }

    /** Counts every prompt of the batch; returns the domains they touched. */
    public Set<DomainKey> observe(List<ClassifiedPrompt> prompts) throws InterruptedException {
        Set<DomainKey> touched = new LinkedHashSet<>();
        for (ClassifiedPrompt prompt : prompts) {
            List<DomainKey> domains = domainsOf(prompt);
            if (domains.isEmpty()) {
                continue;
            }
            // every failure of Redis is waited out: a count is never skipped
            List<Boolean> first = untilStored.call(() -> store.observe(prompt.prompt().id(), prompt.prompt().text(), domains));
            first.stream().filter(Boolean::booleanValue).forEach(added -> counted.increment());
            touched.addAll(domains);
        }
        return touched;
    }

    public boolean stateAvailable() {
        return stateAvailable.get();
    }
}
