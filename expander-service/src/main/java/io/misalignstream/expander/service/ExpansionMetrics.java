package io.misalignstream.expander.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.misalignstream.expander.domain.DomainCoverage;
import io.misalignstream.expander.domain.DomainKey;
import java.util.Collection;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The expansion's meters: how slots ended, verification agreement, and per domain its coverage as last read. */
final class ExpansionMetrics {

    private final Counter kept;
    private final Counter dropped;
    private final Counter invalid;

    /** @param coverage each domain's coverage as last read, kept up to date by the caller */
    ExpansionMetrics(MeterRegistry metrics, Collection<DomainKey> domains, Map<DomainKey, DomainCoverage> coverage) {
        this.kept = Counter.builder("misalign.expander.synthetic").tag("outcome", "kept")
                .description("Synthetic prompts published to prompts.candidates").register(metrics);
        this.dropped = Counter.builder("misalign.expander.synthetic").tag("outcome", "dropped")
                .description("Synthetic prompts dropped because their label disagreed with the target domain").register(metrics);
        this.invalid = Counter.builder("misalign.expander.synthetic").tag("outcome", "invalid")
                .description("Slots given up because the generator's or the classifier's answer stayed invalid").register(metrics);
        Gauge.builder("misalign.expander.verification.agreement", this, ExpansionMetrics::agreement)
                .description("Share of verified synthetic prompts whose label agreed with the target domain").register(metrics);
        for (DomainKey key : domains) {
            Tags tags = Tags.of("dimension", key.dimension().json(), "domain", key.domain());
            gauge(metrics, coverage, "misalign.expander.domain.prompts", "Distinct prompts counted in the domain", tags, key, DomainCoverage::count);
            gauge(metrics, coverage, "misalign.expander.domain.target", "The domain's target", tags, key, DomainCoverage::target);
            gauge(metrics, coverage, "misalign.expander.domain.deficit", "Prompts the domain lacks to its target", tags, key, DomainCoverage::deficit);
            gauge(metrics, coverage, "misalign.expander.domain.generated", "Slots generated for the domain", tags, key, DomainCoverage::generated);
            gauge(metrics, coverage, "misalign.expander.domain.dropped", "Generated prompts of the domain dropped by verification", tags, key,
                    DomainCoverage::dropped);
        }
    }

    void ended(SlotFiller.Outcome outcome) {
        switch (outcome) {
            case KEPT -> kept.increment();
            case DROPPED -> dropped.increment();
            case INVALID -> invalid.increment();
        }
    }

    private static void gauge(MeterRegistry metrics, Map<DomainKey, DomainCoverage> coverage, String name, String description,
                              Tags tags, DomainKey key, ToDoubleFunction<DomainCoverage> field) {
        Gauge.builder(name, coverage, all -> all.containsKey(key) ? field.applyAsDouble(all.get(key)) : Double.NaN)
                .description(description).tags(tags).register(metrics);
    }

    private double agreement() {
        double verified = kept.count() + dropped.count();
        return verified == 0 ? Double.NaN : kept.count() / verified;
    }
}
