package io.misalignstream.evaluation.agreement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete items × raters block of scores: every listed rater rated every listed item. The ICC is defined on
 * such a block only.
 * <p>
 * Crowdsourced tables (DICES 990: each item rated by a subset of a larger pool) are rarely complete, so
 * {@link #completeBlock} keeps a subset of raters and the items all of them rated, chosen greedily:
 * <ol>
 *   <li>start with the rater who rated most items (ties: the one seen first);</li>
 *   <li>repeatedly add the rater who rated most of the items still kept, and keep only the items all chosen
 *       raters rated, while at least two items remain;</li>
 *   <li>of the blocks on that path with at least 2 items and 2 raters, return the one with most scores
 *       (items × raters; ties: the earlier, with more items).</li>
 * </ol>
 * A complete table comes back whole. The greedy path does not promise the largest block, only a large one
 * found in O(raters² × items / 64); the block's size is reported beside every ICC.
 *
 * @param items  the kept items, in order of first appearance in the table
 * @param raters the kept raters, in the order chosen
 * @param scores {@code scores[i][j]} is rater {@code j}'s score for item {@code i}
 */
public record RatingMatrix(List<String> items, List<String> raters, double[][] scores) {

    public RatingMatrix {
        items = List.copyOf(items);
        raters = List.copyOf(raters);
        if (scores.length != items.size()) {
            throw new IllegalArgumentException("scores: " + scores.length + " rows for " + items.size() + " items");
        }
        double[][] copy = new double[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != raters.size()) {
                throw new IllegalArgumentException("scores: row " + i + " has " + scores[i].length + " scores for "
                        + raters.size() + " raters");
            }
            copy[i] = scores[i].clone();
        }
        scores = copy;
    }

    /** The greedy complete block of the table (see above); empty (no items, no raters) when none has 2 × 2. */
    public static RatingMatrix completeBlock(RatingsTable table) {
        List<String> items = table.items();
        List<String> raters = table.raters();
        Map<String, Integer> itemIndex = index(items);
        Map<String, Integer> raterIndex = index(raters);
        BitSet[] rated = new BitSet[raters.size()];
        for (int j = 0; j < rated.length; j++) {
            rated[j] = new BitSet(items.size());
        }
        for (Rating rating : table.ratings()) {
            rated[raterIndex.get(rating.rater())].set(itemIndex.get(rating.item()));
        }

        List<Integer> path = new ArrayList<>();
        boolean[] chosen = new boolean[raters.size()];
        BitSet kept = null;
        int bestRaters = 0;
        long bestScores = 0;
        while (true) {
            int next = -1;
            int nextItems = -1;
            for (int j = 0; j < rated.length; j++) {
                if (!chosen[j]) {
                    int overlap = kept == null ? rated[j].cardinality() : intersectionSize(kept, rated[j]);
                    if (overlap > nextItems) {
                        next = j;
                        nextItems = overlap;
                    }
                }
            }
            if (next < 0 || nextItems < 2) {
                break;
            }
            chosen[next] = true;
            path.add(next);
            kept = kept == null ? (BitSet) rated[next].clone() : and(kept, rated[next]);
            long cells = (long) nextItems * path.size();
            if (path.size() >= 2 && cells > bestScores) {
                bestRaters = path.size();
                bestScores = cells;
            }
        }
        if (bestRaters == 0) {
            return new RatingMatrix(List.of(), List.of(), new double[0][]);
        }

        List<Integer> raterColumns = path.subList(0, bestRaters);
        BitSet block = (BitSet) rated[raterColumns.get(0)].clone();
        raterColumns.forEach(j -> block.and(rated[j]));
        List<String> blockItems = new ArrayList<>();
        Map<Integer, Integer> row = new HashMap<>();
        block.stream().forEach(i -> {
            row.put(i, blockItems.size());
            blockItems.add(items.get(i));
        });
        Map<Integer, Integer> column = new HashMap<>();
        List<String> blockRaters = new ArrayList<>();
        for (int j : raterColumns) {
            column.put(j, blockRaters.size());
            blockRaters.add(raters.get(j));
        }
        double[][] scores = new double[blockItems.size()][blockRaters.size()];
        for (Rating rating : table.ratings()) {
            Integer i = row.get(itemIndex.get(rating.item()));
            Integer j = column.get(raterIndex.get(rating.rater()));
            if (i != null && j != null) {
                scores[i][j] = rating.score();
            }
        }
        return new RatingMatrix(blockItems, blockRaters, scores);
    }

    /** A copy of the scores; the record keeps its own. */
    @Override
    public double[][] scores() {
        double[][] copy = new double[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            copy[i] = scores[i].clone();
        }
        return copy;
    }

    // Arrays compare by identity in a record: compare the scores by value instead.
    @Override
    public boolean equals(Object other) {
        return other instanceof RatingMatrix that && items.equals(that.items) && raters.equals(that.raters)
                && Arrays.deepEquals(scores, that.scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * items.hashCode() + raters.hashCode()) + Arrays.deepHashCode(scores);
    }

    @Override
    public String toString() {
        return "RatingMatrix[items=" + items + ", raters=" + raters + ", scores=" + Arrays.deepToString(scores) + "]";
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        return index;
    }

    private static int intersectionSize(BitSet a, BitSet b) {
        return and(a, b).cardinality();
    }

    private static BitSet and(BitSet a, BitSet b) {
        BitSet both = (BitSet) a.clone();
        both.and(b);
        return both;
    }
}
