package io.misalignstream.evaluation.agreement;

import java.util.Objects;

/**
 * One rater's score for one item. For the demographic statistics the score is the rater's probability that the
 * item is unsafe (1 = unsafe, 0 = safe; binary answers are 0 or 1); the ICC takes any numeric scale.
 *
 * @param item  the rated item
 * @param rater who rated it
 * @param score the rating, finite
 * @param group the rater's demographic group, or {@code null} when the table has none
 */
public record Rating(String item, String rater, double score, String group) {

    public Rating {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(rater, "rater");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score: must be a finite number, not " + score);
        }
    }
}
