package io.misalignstream.evaluation.agreement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatingMatrixTest {

    @Test
    void keepsACompleteTableWhole() {
        RatingsTable table = RatingsTable.of(List.of(
                new Rating("i1", "r1", 1, null), new Rating("i1", "r2", 2, null),
                new Rating("i2", "r1", 3, null), new Rating("i2", "r2", 4, null)));

        RatingMatrix block = RatingMatrix.completeBlock(table);

        assertThat(block.items()).containsExactly("i1", "i2");
        assertThat(block.raters()).containsExactly("r1", "r2");
        assertThat(block.scores()).isEqualTo(new double[][] {{1, 2}, {3, 4}});
    }

    @Test
    void choosesTheRatersAndItemsOfTheGreedyLargestBlock() {
        // A rated items 1-5, B 1-4, C 1-3, D 4-5. Path: A (5 items), +B (4 items, 8 scores), +C (3 items, 9 scores),
        // then D shares no kept item: the block is items 1-3 by A, B, C.
        List<Rating> ratings = new ArrayList<>();
        rate(ratings, "A", 1, 5);
        rate(ratings, "B", 1, 4);
        rate(ratings, "C", 1, 3);
        rate(ratings, "D", 4, 5);

        RatingMatrix block = RatingMatrix.completeBlock(RatingsTable.of(ratings));

        assertThat(block.raters()).containsExactly("A", "B", "C");
        assertThat(block.items()).containsExactly("item1", "item2", "item3");
        assertThat(block.scores()[2]).containsExactly(3, 3, 3);
    }

    @Test
    void isEmptyWithoutTwoRatersSharingTwoItems() {
        List<Rating> ratings = new ArrayList<>();
        rate(ratings, "A", 1, 3);
        rate(ratings, "B", 3, 5);

        RatingMatrix block = RatingMatrix.completeBlock(RatingsTable.of(ratings));

        assertThat(block.items()).isEmpty();
        assertThat(block.raters()).isEmpty();
        AgreementReport report = AgreementReport.of(RatingsTable.of(ratings));
        assertThat(report.icc2()).isNull();
        assertThat(report.items()).isZero();
        assertThat(report.raters()).isZero();
    }

    /** {@code rater} scores items {@code from} to {@code to} with the item's number. */
    private static void rate(List<Rating> ratings, String rater, int from, int to) {
        for (int item = from; item <= to; item++) {
            ratings.add(new Rating("item" + item, rater, item, null));
        }
    }
}
