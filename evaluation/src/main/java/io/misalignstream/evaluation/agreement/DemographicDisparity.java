package io.misalignstream.evaluation.agreement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How much the rater's demographic group moves the ratings (Demo-SafetyBench publishes the names; the formulas are
 * reconstructions). Scores are read as the rater's probability that the item is unsafe, 0 to 1; a rating flags
 * the item unsafe when its score is at least {@link #FLAG_THRESHOLD}.
 * <ul>
 *   <li>DS, demographic sensitivity: for each item rated by at least two groups, the spread max − min over
 *       groups of the group's mean score for the item (with 0/1 scores: the share of the group's raters who
 *       judged it unsafe); then the mean over those items.</li>
 *   <li>DPD, demographic parity difference: max − min over groups of P(flag | group), each group's flags pooled
 *       over all its ratings.</li>
 *   <li>EOD, equalized odds difference: given a gold label per item (true = unsafe), the larger of the spreads
 *       max − min over groups of the true-positive rate P(flag | group, unsafe) and of the false-positive rate
 *       P(flag | group, safe). Items without a gold label are left out.</li>
 * </ul>
 * Each is empty without a group column, with fewer than two groups to compare, or (EOD) without gold labels.
 * All ratings count, not only the ICC's complete block.
 */
public final class DemographicDisparity {

    /** A score at or above this flags the item unsafe: the papers' label-probability threshold delta. */
    public static final double FLAG_THRESHOLD = 0.5;

    private DemographicDisparity() {
    }

    public static OptionalDouble sensitivity(RatingsTable table) {
        if (!table.grouped()) {
            return OptionalDouble.empty();
        }
        Map<String, Map<String, Mean>> byItem = new LinkedHashMap<>();
        for (Rating rating : table.ratings()) {
            byItem.computeIfAbsent(rating.item(), item -> new HashMap<>())
                    .computeIfAbsent(rating.group(), group -> new Mean())
                    .add(rating.score());
        }
        List<Double> spreads = new ArrayList<>();
        byItem.values().forEach(groups -> spread(groups).ifPresent(spreads::add));
        return spreads.stream().mapToDouble(Double::doubleValue).average();
    }

    public static OptionalDouble parityDifference(RatingsTable table) {
        if (!table.grouped()) {
            return OptionalDouble.empty();
        }
        Map<String, Mean> flagRate = new HashMap<>();
        for (Rating rating : table.ratings()) {
            flagRate.computeIfAbsent(rating.group(), group -> new Mean()).add(flag(rating));
        }
        return spread(flagRate);
    }

    /** @param gold item → true when the item is unsafe; {@code null} or empty when there is no gold standard */
    public static OptionalDouble equalizedOddsDifference(RatingsTable table, Map<String, Boolean> gold) {
        if (!table.grouped() || gold == null || gold.isEmpty()) {
            return OptionalDouble.empty();
        }
        Map<String, Mean> truePositiveRate = new HashMap<>();
        Map<String, Mean> falsePositiveRate = new HashMap<>();
        for (Rating rating : table.ratings()) {
            Boolean unsafe = gold.get(rating.item());
            if (unsafe != null) {
                (unsafe ? truePositiveRate : falsePositiveRate)
                        .computeIfAbsent(rating.group(), group -> new Mean()).add(flag(rating));
            }
        }
        OptionalDouble tpr = spread(truePositiveRate);
        OptionalDouble fpr = spread(falsePositiveRate);
        if (tpr.isEmpty()) {
            return fpr;
        }
        return fpr.isEmpty() ? tpr : OptionalDouble.of(Math.max(tpr.getAsDouble(), fpr.getAsDouble()));
    }

    private static double flag(Rating rating) {
        return rating.score() >= FLAG_THRESHOLD ? 1 : 0;
    }

    private static OptionalDouble spread(Map<String, Mean> groups) {
        if (groups.size() < 2) {
            return OptionalDouble.empty();
        }
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (Mean mean : groups.values()) {
            max = Math.max(max, mean.value());
            min = Math.min(min, mean.value());
        }
        return OptionalDouble.of(max - min);
    }

    private static final class Mean {
        private double sum;
        private long count;

        void add(double value) {
            sum += value;
            count++;
        }

        double value() {
            return sum / count;
        }
    }
}
