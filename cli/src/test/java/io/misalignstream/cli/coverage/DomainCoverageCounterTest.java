package io.misalignstream.cli.coverage;

import static io.misalignstream.cli.coverage.CoverageEvents.classified;
import static io.misalignstream.cli.coverage.CoverageEvents.forwarded;
import static io.misalignstream.cli.coverage.CoverageEvents.label;
import static io.misalignstream.cli.coverage.CoverageEvents.synthetic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainCoverageCounterTest {

    private static final ClassifiedPrompt SOUP = classified("p-soup", label("none"),
            label("health", "honoring_parents_and_elders", "family_security"), label("culinary_arts"));

    private final DomainCoverageCounter counter = new DomainCoverageCounter();

    @Test
    void aPromptReadSeveralTimesCountsOnceInEachOfItsDomains() {
        counter.add(SOUP);
        counter.add(SOUP);
        counter.addClassified(EventCodec.encode(SOUP));

        CoverageReport report = counter.report(CoverageTargets.defaults(), List.of());

        assertThat(row(report, Dimension.VALUE, "health")).isEqualTo(new DomainCoverage(Dimension.VALUE, "health", 1, 0, 0.0, 25, 24));
        assertThat(row(report, Dimension.CULTURAL, "culinary_arts").count()).isEqualTo(1);
        assertThat(report.totals(Dimension.SAFETY).count()).as("none is no domain").isZero();
    }

    @Test
    void furtherDomainsCountLikeThePrimary() {
        counter.add(SOUP);
        counter.add(classified("p-elders", label("privacy_violation", "self_harm", "none"),
                label("honoring_parents_and_elders"), label("none")));

        CoverageReport report = counter.report(CoverageTargets.defaults(), List.of());

        assertThat(row(report, Dimension.VALUE, "health").count()).isEqualTo(1);
        assertThat(row(report, Dimension.VALUE, "honoring_parents_and_elders").count()).isEqualTo(2);
        assertThat(row(report, Dimension.VALUE, "family_security").count()).isEqualTo(1);
        assertThat(row(report, Dimension.SAFETY, "privacy_violation").count()).isEqualTo(1);
        assertThat(row(report, Dimension.SAFETY, "self_harm").count()).isEqualTo(1);
        assertThat(report.totals(Dimension.VALUE)).isEqualTo(
                new CoverageReport.Totals(Dimension.VALUE, 56, 56, 4, 0, 0.0, 56 * 25, 56 * 25 - 4));
        assertThat(report.totals(Dimension.SAFETY).count()).isEqualTo(2);
    }

    @Test
    void aSyntheticPromptCountsOnlyInTheDomainItWasGeneratedFor() {
        counter.add(SOUP);
        counter.add(forwarded(SOUP));
        counter.add(synthetic("s-1", Dimension.VALUE, "health"));
        counter.add(synthetic("s-1", Dimension.VALUE, "health"));
        counter.addCandidate(EventCodec.encode(synthetic("s-2", Dimension.VALUE, "health")));
        counter.add(synthetic("s-3", Dimension.SAFETY, "self_harm"));

        CoverageReport report = counter.report(CoverageTargets.defaults(), List.of());

        assertThat(row(report, Dimension.VALUE, "health")).isEqualTo(new DomainCoverage(Dimension.VALUE, "health", 3, 2, 2.0 / 3, 25, 22));
        assertThat(row(report, Dimension.SAFETY, "self_harm")).isEqualTo(new DomainCoverage(Dimension.SAFETY, "self_harm", 1, 1, 1.0, 25, 24));
        // The generator labelled every synthetic prompt crafts: no count there.
        assertThat(row(report, Dimension.CULTURAL, "crafts").count()).isZero();
        // The forwarded original is the classified one, counted once.
        assertThat(row(report, Dimension.CULTURAL, "culinary_arts").count()).isEqualTo(1);
        assertThat(report.totals(Dimension.VALUE).synthetic()).isEqualTo(2);
        assertThat(report.totals(Dimension.VALUE).syntheticShare()).isEqualTo(2.0 / 5);
    }

    @Test
    void theMostSpecificTargetWinsAndDeficitsNeverGoBelowZero() {
        for (int i = 0; i < 5; i++) {
            counter.add(classified("p-" + i, label("none"), label("health"), label(i < 2 ? "crafts" : "none")));
        }
        CoverageTargets targets = new CoverageTargets(7, Map.of(Dimension.VALUE, 10), Map.of("health", 3, "crafts", 4));

        CoverageReport report = counter.report(targets, List.of());

        assertThat(row(report, Dimension.VALUE, "health")).isEqualTo(new DomainCoverage(Dimension.VALUE, "health", 5, 0, 0.0, 3, 0));
        assertThat(row(report, Dimension.VALUE, "wealth")).isEqualTo(new DomainCoverage(Dimension.VALUE, "wealth", 0, 0, 0.0, 10, 10));
        assertThat(row(report, Dimension.CULTURAL, "crafts")).isEqualTo(new DomainCoverage(Dimension.CULTURAL, "crafts", 2, 0, 0.0, 4, 2));
        assertThat(row(report, Dimension.CULTURAL, "museums").target()).isEqualTo(7);
        assertThat(row(report, Dimension.SAFETY, "self_harm").target()).isEqualTo(7);
        assertThat(report.totals(Dimension.VALUE)).isEqualTo(
                new CoverageReport.Totals(Dimension.VALUE, 56, 55, 5, 0, 0.0, 55 * 10 + 3, 55 * 10));
        assertThat(report.totals(Dimension.CULTURAL).deficit()).isEqualTo(40 * 7 + 2);
    }

    @Test
    void rowsGoByDimensionThenLargestDeficitThenDomainId() {
        counter.add(classified("p-1", label("self_harm"), label("none"), label("none")));
        counter.add(classified("p-2", label("self_harm"), label("none"), label("none")));
        counter.add(classified("p-3", label("animal_abuse"), label("none"), label("none")));
        counter.add(classified("p-4", label("none"), label("health"), label("none")));

        CoverageReport report = counter.report(new CoverageTargets(2, Map.of(), Map.of()), List.of(Dimension.VALUE, Dimension.SAFETY));

        assertThat(report.dimensions()).containsExactly(Dimension.SAFETY, Dimension.VALUE);
        List<DomainCoverage> safety = report.of(Dimension.SAFETY);
        assertThat(safety).hasSize(14);
        assertThat(safety.subList(0, 2)).extracting(DomainCoverage::domain).containsExactly("child_abuse", "controversial_topics_politics");
        assertThat(safety.subList(11, 14)).extracting(DomainCoverage::domain, DomainCoverage::deficit).containsExactly(
                org.assertj.core.groups.Tuple.tuple("violence_aiding_and_abetting_incitement", 2),
                org.assertj.core.groups.Tuple.tuple("animal_abuse", 1),
                org.assertj.core.groups.Tuple.tuple("self_harm", 0));
        assertThat(report.of(Dimension.VALUE).get(55).domain()).isEqualTo("health");
        assertThat(report.of(Dimension.CULTURAL)).isEmpty();
    }

    @Test
    void undecodableRecordsAreSkippedAndCountedByTopic() {
        assertThat(counter.addClassified("not json".getBytes(StandardCharsets.UTF_8))).isFalse();
        String unknownDomain = new String(EventCodec.encode(SOUP), StandardCharsets.UTF_8).replace("\"health\"", "\"healthy\"");
        assertThat(counter.addClassified(unknownDomain.getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(counter.addClassified(null)).isFalse();
        assertThat(counter.addCandidate(EventCodec.encode(SOUP))).as("a classified record lacks nothing a candidate needs").isTrue();
        assertThat(counter.addCandidate("{}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(counter.addClassified(EventCodec.encode(SOUP))).isTrue();

        assertThat(counter.undecodable()).isEqualTo(Map.of(Topics.PROMPTS_CLASSIFIED, 3L, Topics.PROMPTS_CANDIDATES, 1L));
        assertThat(counter.undecodableTotal()).isEqualTo(4);
        assertThat(row(counter.report(CoverageTargets.defaults(), List.of()), Dimension.VALUE, "health").count()).isEqualTo(1);
    }

    @Test
    void targetsMustBeDomainsAndCounts() {
        assertThatThrownBy(() -> new CoverageTargets(25, Map.of(), Map.of("healthy", 3)))
                .hasMessage("'healthy' is not a domain of the taxonomy (misalign taxonomy lists them)");
        assertThatThrownBy(() -> new CoverageTargets(25, Map.of(), Map.of("none", 3)))
                .hasMessage("'none' is not a domain of the taxonomy (misalign taxonomy lists them)");
        assertThatThrownBy(() -> new CoverageTargets(25, Map.of(Dimension.VALUE, -1), Map.of()))
                .hasMessage("the target of value must be 0 or more, was -1");
        assertThatThrownBy(() -> new CoverageTargets(-5, Map.of(), Map.of()))
                .hasMessage("the target must be 0 or more, was -5");
    }

    private static DomainCoverage row(CoverageReport report, Dimension dimension, String domain) {
        return report.of(dimension).stream().filter(row -> row.domain().equals(domain)).findFirst().orElseThrow();
    }
}
