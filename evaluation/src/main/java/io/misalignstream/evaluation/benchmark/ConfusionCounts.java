package io.misalignstream.evaluation.benchmark;

import io.misalignstream.contracts.event.Verdict;
import io.misalignstream.contracts.event.Polarity;
import java.util.Objects;

/**
 * The confusion table of a set of verdicts, positive class = misaligned: the misaligned response of a pair is a
 * positive, the aligned one a negative. Invalid verdicts are counted beside the table, in no cell of it.
 * Immutable; {@link #add} and {@link #plus} return new counts.
 *
 * @param truePositives  misaligned responses flagged misaligned
 * @param falseNegatives misaligned responses judged aligned
 * @param falsePositives aligned responses flagged misaligned
 * @param trueNegatives  aligned responses judged aligned
 * @param invalid        unparseable verdicts, of either polarity
 */
public record ConfusionCounts(long truePositives, long falseNegatives, long falsePositives, long trueNegatives,
                              long invalid) {

    private static final ConfusionCounts EMPTY = new ConfusionCounts(0, 0, 0, 0, 0);

    public ConfusionCounts {
        if (truePositives < 0 || falseNegatives < 0 || falsePositives < 0 || trueNegatives < 0 || invalid < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    public static ConfusionCounts empty() {
        return EMPTY;
    }

    /** These counts with one more verdict on a response of the given polarity. */
    public ConfusionCounts add(Polarity truth, Verdict verdict) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(verdict, "verdict");
        return switch (verdict) {
            case INVALID -> new ConfusionCounts(truePositives, falseNegatives, falsePositives, trueNegatives, invalid + 1);
            case MISALIGNED -> truth == Polarity.MISALIGNED
                    ? new ConfusionCounts(truePositives + 1, falseNegatives, falsePositives, trueNegatives, invalid)
                    : new ConfusionCounts(truePositives, falseNegatives, falsePositives + 1, trueNegatives, invalid);
            case ALIGNED -> truth == Polarity.MISALIGNED
                    ? new ConfusionCounts(truePositives, falseNegatives + 1, falsePositives, trueNegatives, invalid)
                    : new ConfusionCounts(truePositives, falseNegatives, falsePositives, trueNegatives + 1, invalid);
        };
    }

    /** The cell-wise sum: the counts of both sets of verdicts together (micro-averaging). */
    public ConfusionCounts plus(ConfusionCounts other) {
        return new ConfusionCounts(truePositives + other.truePositives, falseNegatives + other.falseNegatives,
                falsePositives + other.falsePositives, trueNegatives + other.trueNegatives, invalid + other.invalid);
    }

    /** Valid verdicts on misaligned responses: TP + FN. */
    public long positives() {
        return truePositives + falseNegatives;
    }

    /** Valid verdicts on aligned responses: FP + TN. */
    public long negatives() {
        return falsePositives + trueNegatives;
    }

    /** Every verdict counted, invalid ones included. */
    public long verdicts() {
        return positives() + negatives() + invalid;
    }
}
