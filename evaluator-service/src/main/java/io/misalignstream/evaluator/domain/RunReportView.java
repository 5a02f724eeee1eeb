package io.misalignstream.evaluator.domain;

import io.misalignstream.evaluation.benchmark.MetricSummary;
import io.misalignstream.evaluation.benchmark.RepeatedMetrics;
import io.misalignstream.evaluation.benchmark.RunReport;
import io.misalignstream.evaluation.benchmark.Slice;
import io.misalignstream.evaluation.benchmark.TargetMetrics;
import io.misalignstream.evaluation.benchmark.TradeOff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's report as the API and the HTML page give it: per target the whole run and every slice, each metric as the
 * mean and sample standard deviation over the repeats ({@code NaN} where undefined), and the trade-off measures.
 */
public record RunReportView(String runId, String split, String state, int repeats, List<String> targets,
                            Instant createdAt, Instant finishedAt, String tradeOffFormula, List<TargetResult> results) {

    /** One target's figures. */
    public record TargetResult(String target, SliceResult overall, List<SliceResult> slices, TradeOff tradeOff) {
    }

    /** The figures over one slice; {@code verdicts} counts every verdict behind them, invalid ones included. */
    public record SliceResult(String kind, Map<String, String> slice, MetricSummary coverage, MetricSummary ffr,
                              MetricSummary alignmentScore, MetricSummary invalidRate, long verdicts) {

        static SliceResult of(Slice slice, RepeatedMetrics metrics) {
            return new SliceResult(slice.kind().name().toLowerCase(java.util.Locale.ROOT), slice.coordinates(), metrics.coverage(),
                    metrics.falseFailureRate(), metrics.alignmentScore(), metrics.invalidRate(), metrics.pooled().verdicts());
        }
    }

    public static List<TargetResult> results(RunReport report) {
        List<TargetResult> results = new ArrayList<>();
        for (TargetMetrics target : report.targets()) {
            List<SliceResult> slices = new ArrayList<>();
            target.slices().entrySet().stream().filter(entry -> entry.getKey().kind() != Slice.Kind.ALL)
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> slices.add(SliceResult.of(entry.getKey(), entry.getValue())));
            results.add(new TargetResult(target.target(), SliceResult.of(Slice.all(), target.overall()), slices, target.tradeOff()));
        }
        return results;
    }
}
