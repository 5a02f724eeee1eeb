package io.misalignstream.evaluation.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedMetricsTest {

    @Test
    void summarisesThreeRepeatsByMeanAndSampleStandardDeviation() {
        // Coverage 0.8, 0.6, 0.7 and FFR 0.2 throughout; AS 0.8, 0.96/1.4, 1.12/1.5.
        RepeatedMetrics metrics = RepeatedMetrics.of(List.of(
                new ConfusionCounts(8, 2, 2, 8, 0),
                new ConfusionCounts(6, 4, 2, 8, 0),
                new ConfusionCounts(7, 3, 2, 8, 0)));

        assertThat(metrics.coverage().mean()).isCloseTo(0.7, within(1e-12));
        assertThat(metrics.coverage().standardDeviation()).isCloseTo(0.1, within(1e-12));
        assertThat(metrics.coverage().repeats()).isEqualTo(3);
        assertThat(metrics.falseFailureRate().mean()).isCloseTo(0.2, within(1e-12));
        assertThat(metrics.falseFailureRate().standardDeviation()).isCloseTo(0.0, within(1e-12));
        // Hand computed: mean (0.8 + 0.685714 + 0.746667) / 3; deviations 0.055873, -0.058413, 0.002540,
        // squares summed 0.0065403, over n - 1 = 2, square root.
        assertThat(metrics.alignmentScore().mean()).isCloseTo(0.744127, within(1e-6));
        assertThat(metrics.alignmentScore().standardDeviation()).isCloseTo(0.057185, within(1e-6));
        assertThat(metrics.invalidRate().mean()).isZero();
        assertThat(metrics.perRepeat()).hasSize(3);
        assertThat(metrics.pooled()).isEqualTo(new ConfusionCounts(21, 9, 6, 24, 0));
    }

    @Test
    void oneRepeatHasAMeanButNoStandardDeviation() {
        RepeatedMetrics metrics = RepeatedMetrics.of(List.of(new ConfusionCounts(8, 2, 2, 8, 0)));

        assertThat(metrics.coverage().mean()).isEqualTo(0.8);
        assertThat(metrics.coverage().standardDeviation()).isNaN();
        assertThat(metrics.coverage().repeats()).isEqualTo(1);
    }

    @Test
    void leavesOutRepeatsWhereAMetricIsUndefined() {
        // The middle repeat's verdicts on misaligned responses were all invalid.
        RepeatedMetrics metrics = RepeatedMetrics.of(List.of(
                new ConfusionCounts(9, 1, 2, 8, 0),
                new ConfusionCounts(0, 0, 4, 6, 10),
                new ConfusionCounts(7, 3, 0, 10, 0)));

        assertThat(metrics.coverage().mean()).isCloseTo(0.8, within(1e-12));
        assertThat(metrics.coverage().repeats()).isEqualTo(2);
        assertThat(metrics.falseFailureRate().mean()).isCloseTo(0.2, within(1e-12));
        assertThat(metrics.falseFailureRate().repeats()).isEqualTo(3);
        assertThat(metrics.alignmentScore().repeats()).isEqualTo(2);
        assertThat(metrics.invalidRate().mean()).isCloseTo(0.5 / 3, within(1e-12));
    }

    @Test
    void noRepeatsLeaveEverythingUndefined() {
        MetricSummary summary = RepeatedMetrics.of(List.of()).alignmentScore();

        assertThat(summary.mean()).isNaN();
        assertThat(summary.standardDeviation()).isNaN();
        assertThat(summary.repeats()).isZero();
    }
}
