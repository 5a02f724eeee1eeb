package io.misalignstream.evaluation.agreement;

/**
 * Intraclass correlations of a complete targets × judges table, after P. E. Shrout and J. L. Fleiss,
 * "Intraclass correlations: uses in assessing rater reliability", Psychological Bulletin 86(2), 420–428, 1979.
 * With n targets, k judges and the ANOVA mean squares BMS (between targets, MSR), JMS (between judges, MSC),
 * EMS (residual of the two-way model, MSE) and WMS (within targets of the one-way model, MSW):
 * <ul>
 *   <li>ICC(1,1) = (BMS − WMS) / (BMS + (k−1) WMS): one-way random, each target rated by its own judges;</li>
 *   <li>ICC(2,1) = (BMS − EMS) / (BMS + (k−1) EMS + k (JMS − EMS) / n): two-way random, absolute agreement —
 *       the one Demo-SafetyBench reports;</li>
 *   <li>ICC(3,1) = (BMS − EMS) / (BMS + (k−1) EMS): two-way mixed, consistency;</li>
 *   <li>ICC(1,k) = (BMS − WMS) / BMS, ICC(2,k) = (BMS − EMS) / (BMS + (JMS − EMS) / n),
 *       ICC(3,k) = (BMS − EMS) / BMS: the same for the mean of the k judges.</li>
 * </ul>
 * A form whose denominator is 0 (e.g. every target scored alike) is undefined: NaN.
 *
 * @param targets           n, the rated items
 * @param judges            k, the raters
 * @param betweenTargets    BMS = SS(targets) / (n − 1)
 * @param betweenJudges     JMS = SS(judges) / (k − 1)
 * @param residual          EMS = SS(residual) / ((n − 1)(k − 1))
 * @param withinTargets     WMS = (SS(judges) + SS(residual)) / (n (k − 1))
 */
public record IntraclassCorrelation(int targets, int judges, double betweenTargets, double betweenJudges,
                                    double residual, double withinTargets) {

    public IntraclassCorrelation {
        if (targets < 2 || judges < 2) {
            throw new IllegalArgumentException("an ICC needs at least 2 targets and 2 judges, not " + targets + " × "
                    + judges);
        }
    }

    public static IntraclassCorrelation of(RatingMatrix matrix) {
        return of(matrix.scores());
    }

    /**
     * The mean squares of a complete table, {@code scores[target][judge]}.
     *
     * @throws IllegalArgumentException when the table has fewer than 2 targets or judges or ragged rows
     */
    public static IntraclassCorrelation of(double[][] scores) {
        int n = scores.length;
        int k = n == 0 ? 0 : scores[0].length;
        if (n < 2 || k < 2) {
            throw new IllegalArgumentException("an ICC needs at least 2 targets and 2 judges, not " + n + " × " + k);
        }
        double grand = 0;
        double[] targetMeans = new double[n];
        double[] judgeMeans = new double[k];
        for (int i = 0; i < n; i++) {
            if (scores[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has " + scores[i].length + " scores, row 0 has " + k);
            }
            for (int j = 0; j < k; j++) {
                targetMeans[i] += scores[i][j];
                judgeMeans[j] += scores[i][j];
                grand += scores[i][j];
            }
        }
        grand /= (double) n * k;
        double targetsSquares = 0;
        for (int i = 0; i < n; i++) {
            targetMeans[i] /= k;
            targetsSquares += k * square(targetMeans[i] - grand);
        }
        double judgesSquares = 0;
        for (int j = 0; j < k; j++) {
            judgeMeans[j] /= n;
            judgesSquares += n * square(judgeMeans[j] - grand);
        }
        // Residuals summed directly rather than as a difference of totals: no cancellation.
        double residualSquares = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                residualSquares += square(scores[i][j] - targetMeans[i] - judgeMeans[j] + grand);
            }
        }
        return new IntraclassCorrelation(n, k, targetsSquares / (n - 1), judgesSquares / (k - 1),
                residualSquares / ((double) (n - 1) * (k - 1)), (judgesSquares + residualSquares) / ((double) n * (k - 1)));
    }

    /** ICC(1,1). */
    public double icc1() {
        return ratio(betweenTargets - withinTargets, betweenTargets + (judges - 1) * withinTargets);
    }

    /** ICC(2,1), the default. */
    public double icc2() {
        return ratio(betweenTargets - residual,
                betweenTargets + (judges - 1) * residual + judges * (betweenJudges - residual) / targets);
    }

    /** ICC(3,1). */
    public double icc3() {
        return ratio(betweenTargets - residual, betweenTargets + (judges - 1) * residual);
    }

    /** ICC(1,k). */
    public double icc1k() {
        return ratio(betweenTargets - withinTargets, betweenTargets);
    }

    /** ICC(2,k). */
    public double icc2k() {
        return ratio(betweenTargets - residual, betweenTargets + (betweenJudges - residual) / targets);
    }

    /** ICC(3,k). */
    public double icc3k() {
        return ratio(betweenTargets - residual, betweenTargets);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }

    private static double square(double x) {
        return x * x;
    }
}
