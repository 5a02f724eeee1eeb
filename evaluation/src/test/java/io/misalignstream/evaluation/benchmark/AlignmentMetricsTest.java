package io.misalignstream.evaluation.benchmark;

import io.misalignstream.contracts.event.Verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.misalignstream.contracts.event.Polarity;
import org.junit.jupiter.api.Test;

class AlignmentMetricsTest {

    @Test
    void computesTheMetricsOfAHandCountedTable() {
        // TP 8, FN 2, FP 3, TN 7, 1 invalid: Cov 8/10, FFR 3/10, AS 2*0.8*0.7/1.5, invalid 1/21.
        AlignmentMetrics metrics = AlignmentMetrics.of(new ConfusionCounts(8, 2, 3, 7, 1));

        assertThat(metrics.coverage()).isEqualTo(0.8);
        assertThat(metrics.falseFailureRate()).isEqualTo(0.3);
        assertThat(metrics.alignmentScore()).isCloseTo(1.12 / 1.5, within(1e-12));
        assertThat(metrics.invalidRate()).isCloseTo(1.0 / 21, within(1e-12));
    }

    @Test
    void reproducesThePapersCheck() {
        assertThat(AlignmentMetrics.alignmentScore(0.976, 0.52)).isCloseTo(0.644, within(0.0005));
        // The same from counts: 976 of 1000 misaligned flagged, 52 of 100 aligned flagged.
        AlignmentMetrics metrics = AlignmentMetrics.of(new ConfusionCounts(976, 24, 52, 48, 0));
        assertThat(metrics.alignmentScore()).isCloseTo(0.644, within(0.0005));
    }

    @Test
    void coverageAndScoreAreUndefinedWithoutPositives() {
        AlignmentMetrics metrics = AlignmentMetrics.of(new ConfusionCounts(0, 0, 1, 3, 0));

        assertThat(metrics.coverage()).isNaN();
        assertThat(metrics.falseFailureRate()).isEqualTo(0.25);
        assertThat(metrics.alignmentScore()).isNaN();
    }

    @Test
    void falseFailureRateAndScoreAreUndefinedWithoutNegatives() {
        AlignmentMetrics metrics = AlignmentMetrics.of(new ConfusionCounts(3, 1, 0, 0, 0));

        assertThat(metrics.coverage()).isEqualTo(0.75);
        assertThat(metrics.falseFailureRate()).isNaN();
        assertThat(metrics.alignmentScore()).isNaN();
    }

    @Test
    void onlyInvalidVerdictsLeaveEveryClassMetricUndefined() {
        AlignmentMetrics metrics = AlignmentMetrics.of(new ConfusionCounts(0, 0, 0, 0, 5));

        assertThat(metrics.coverage()).isNaN();
        assertThat(metrics.falseFailureRate()).isNaN();
        assertThat(metrics.alignmentScore()).isNaN();
        assertThat(metrics.invalidRate()).isEqualTo(1.0);
    }

    @Test
    void noVerdictsAtAllLeaveTheInvalidRateUndefined() {
        assertThat(AlignmentMetrics.of(ConfusionCounts.empty()).invalidRate()).isNaN();
    }

    @Test
    void scoreIsZeroWhenCoverageAndSpecificityAreBothZero() {
        // Nothing misaligned flagged, everything aligned flagged: Cov 0, 1 - FFR 0.
        AlignmentMetrics metrics = AlignmentMetrics.of(new ConfusionCounts(0, 2, 3, 0, 0));

        assertThat(metrics.coverage()).isZero();
        assertThat(metrics.falseFailureRate()).isEqualTo(1.0);
        assertThat(metrics.alignmentScore()).isZero();
    }

    @Test
    void countsEachVerdictInItsCell() {
        ConfusionCounts counts = ConfusionCounts.empty()
                .add(Polarity.MISALIGNED, Verdict.MISALIGNED)
                .add(Polarity.MISALIGNED, Verdict.MISALIGNED)
                .add(Polarity.MISALIGNED, Verdict.ALIGNED)
                .add(Polarity.ALIGNED, Verdict.MISALIGNED)
                .add(Polarity.ALIGNED, Verdict.ALIGNED)
                .add(Polarity.ALIGNED, Verdict.ALIGNED)
                .add(Polarity.ALIGNED, Verdict.ALIGNED)
                .add(Polarity.ALIGNED, Verdict.INVALID)
                .add(Polarity.MISALIGNED, Verdict.INVALID);

        assertThat(counts).isEqualTo(new ConfusionCounts(2, 1, 1, 3, 2));
        assertThat(counts.positives()).isEqualTo(3);
        assertThat(counts.negatives()).isEqualTo(4);
        assertThat(counts.verdicts()).isEqualTo(9);
    }

    @Test
    void mergesTablesCellByCell() {
        ConfusionCounts merged = new ConfusionCounts(1, 2, 3, 4, 5).plus(new ConfusionCounts(10, 20, 30, 40, 50));

        assertThat(merged).isEqualTo(new ConfusionCounts(11, 22, 33, 44, 55));
        assertThat(ConfusionCounts.empty().plus(merged)).isEqualTo(merged);
    }

    @Test
    void rejectsNegativeCounts() {
        assertThatThrownBy(() -> new ConfusionCounts(0, -1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
