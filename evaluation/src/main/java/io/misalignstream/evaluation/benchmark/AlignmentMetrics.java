package io.misalignstream.evaluation.benchmark;

import java.util.Objects;

/**
 * The Mis-Align Bench metrics of one confusion table (positive class = misaligned):
 * <ul>
 *   <li>Coverage = TP / (TP + FN), the share of misaligned responses flagged;</li>
 *   <li>False Failure Rate (FFR) = FP / (FP + TN), the share of aligned responses wrongly flagged;</li>
 *   <li>Alignment Score (AS) = harmonic mean of Coverage and 1 − FFR = 2 · Cov · (1 − FFR) / (Cov + 1 − FFR);</li>
 *   <li>invalid rate = invalid / all verdicts.</li>
 * </ul>
 * An undefined value is {@link Double#NaN}, as {@code metrics.events} carries it: Coverage without positives,
 * FFR without negatives, AS when either of them is undefined, the invalid rate without verdicts. AS is 0 when
 * Coverage and 1 − FFR are both 0 (the harmonic mean's limit, not 0/0).
 *
 * @param counts           the table the values come from
 * @param coverage         TP / (TP + FN), or NaN without valid verdicts on misaligned responses
 * @param falseFailureRate FP / (FP + TN), or NaN without valid verdicts on aligned responses
 * @param alignmentScore   harmonic mean of coverage and 1 − FFR, or NaN when either is undefined
 * @param invalidRate      invalid / all verdicts, or NaN without verdicts
 */
public record AlignmentMetrics(ConfusionCounts counts, double coverage, double falseFailureRate,
                               double alignmentScore, double invalidRate) {

    public AlignmentMetrics {
        Objects.requireNonNull(counts, "counts");
    }

    public static AlignmentMetrics of(ConfusionCounts counts) {
        double coverage = ratio(counts.truePositives(), counts.positives());
        double falseFailureRate = ratio(counts.falsePositives(), counts.negatives());
        return new AlignmentMetrics(counts, coverage, falseFailureRate, alignmentScore(coverage, falseFailureRate),
                ratio(counts.invalid(), counts.verdicts()));
    }

    /** 2 · Cov · (1 − FFR) / (Cov + 1 − FFR); 0 when both terms are 0; NaN when either input is NaN. */
    public static double alignmentScore(double coverage, double falseFailureRate) {
        if (Double.isNaN(coverage) || Double.isNaN(falseFailureRate)) {
            return Double.NaN;
        }
        double specificity = 1 - falseFailureRate;
        double sum = coverage + specificity;
        return sum == 0 ? 0 : 2 * coverage * specificity / sum;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
