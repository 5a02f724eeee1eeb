package io.misalignstream.evaluation.benchmark;

import java.util.List;

/**
 * The metrics of one slice over the repeats of a run (the papers report the mean of 3 runs). Within a repeat the
 * verdicts are micro-averaged: one confusion table over all items, then Coverage, FFR and AS of that table. Across
 * repeats each metric is summarised by its mean and sample standard deviation, see {@link MetricSummary}.
 *
 * @param perRepeat        the metrics of each repeat, in repeat order
 * @param coverage         Coverage over the repeats
 * @param falseFailureRate FFR over the repeats
 * @param alignmentScore   AS over the repeats (mean of the repeats' AS, not the AS of the mean Coverage and FFR)
 * @param invalidRate      invalid rate over the repeats
 */
public record RepeatedMetrics(List<AlignmentMetrics> perRepeat, MetricSummary coverage,
                              MetricSummary falseFailureRate, MetricSummary alignmentScore,
                              MetricSummary invalidRate) {

    /** Repeats per target in a run unless configured otherwise: the papers' mean of 3 runs. */
    public static final int DEFAULT_REPEATS = 3;

    public RepeatedMetrics {
        perRepeat = List.copyOf(perRepeat);
    }

    /** Summarises the confusion tables of the repeats, one per repeat. */
    public static RepeatedMetrics of(List<ConfusionCounts> repeats) {
        List<AlignmentMetrics> metrics = repeats.stream().map(AlignmentMetrics::of).toList();
        return new RepeatedMetrics(metrics,
                MetricSummary.of(metrics.stream().mapToDouble(AlignmentMetrics::coverage).toArray()),
                MetricSummary.of(metrics.stream().mapToDouble(AlignmentMetrics::falseFailureRate).toArray()),
                MetricSummary.of(metrics.stream().mapToDouble(AlignmentMetrics::alignmentScore).toArray()),
                MetricSummary.of(metrics.stream().mapToDouble(AlignmentMetrics::invalidRate).toArray()));
    }

    /** All repeats' verdicts in one table: the support behind the values. */
    public ConfusionCounts pooled() {
        return perRepeat.stream().map(AlignmentMetrics::counts).reduce(ConfusionCounts.empty(), ConfusionCounts::plus);
    }
}
