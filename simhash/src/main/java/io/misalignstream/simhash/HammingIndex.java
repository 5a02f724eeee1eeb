package io.misalignstream.simhash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An exact in-memory index of 64-bit fingerprints for Hamming-distance search (multi-index hashing,
 * Norouzi, Punjani and Fleet 2012): the 64 bits are split into four 16-bit blocks, each with a table
 * from block value to the entries having it. Two fingerprints within k bits differ in at most
 * floor(k/4) bits in at least one block (pigeonhole), so probing every block value within that radius
 * of the query's block finds every stored fingerprint within k, never fewer. Memory: 8 bytes of
 * fingerprint, 8 of reference, 16 of chain links per entry, plus the entry's id.
 *
 * <p>Not thread-safe.
 */
public final class HammingIndex {

    public static final int MAX_DISTANCE = 16;
    private static final int BLOCKS = 4;
    private static final int BLOCK_BITS = 16;
    private static final int BLOCK_VALUES = 1 << BLOCK_BITS;

    /** An entry within the threshold of a query. */
    public record Match(int position, String id, long fingerprint, long reference, int distance) {
    }

    private final int threshold;
    private final int[] probeMasks;
    private final int[][] heads = new int[BLOCKS][BLOCK_VALUES];
    private int[][] next = new int[BLOCKS][];
    private long[] fingerprints;
    private long[] references;
    private String[] ids;
    private int[] visited;
    private int visitStamp;
    private int size;
    private long candidatesExamined;

    public HammingIndex(int threshold) {
        if (threshold < 0 || threshold > MAX_DISTANCE) {
            throw new IllegalArgumentException("Hamming threshold must be between 0 and " + MAX_DISTANCE + ", was " + threshold);
        }
        this.threshold = threshold;
        this.probeMasks = masksWithin(threshold / BLOCKS);
        for (int[] head : heads) {
            Arrays.fill(head, -1);
        }
        allocate(1024);
    }

    public int threshold() {
        return threshold;
    }

    public int size() {
        return size;
    }

    /** Candidates compared with a query so far (entries found in the probed buckets), for metrics. */
    public long candidatesExamined() {
        return candidatesExamined;
    }

    /**
     * Adds an entry. {@code reference} is the caller's handle for it (the Redis log offset, a file row).
     *
     * @return its position, 0 for the first entry
     */
    public int add(long fingerprint, String id, long reference) {
        if (size == fingerprints.length) {
            allocate(size * 2);
        }
        int position = size++;
        fingerprints[position] = fingerprint;
        references[position] = reference;
        ids[position] = id;
        for (int block = 0; block < BLOCKS; block++) {
            int value = blockOf(fingerprint, block);
            next[block][position] = heads[block][value];
            heads[block][value] = position;
        }
        return position;
    }

    /** The position of the entry added with this reference; references must have been added in increasing order. */
    public int positionOfReference(long reference) {
        int position = Arrays.binarySearch(references, 0, size, reference);
        if (position < 0) {
            throw new IllegalArgumentException("no entry with reference " + reference);
        }
        return position;
    }

    public long fingerprint(int position) {
        return fingerprints[position];
    }

    public String id(int position) {
        return ids[position];
    }

    public long reference(int position) {
        return references[position];
    }

    /**
     * The nearest stored entry within the threshold: smallest distance, then smallest id, so the choice
     * does not depend on insertion order. {@code null} when none is within the threshold.
     */
    public Match nearest(long query) {
        int best = -1;
        int bestDistance = Integer.MAX_VALUE;
        for (int block = 0; block < BLOCKS; block++) {
            int value = blockOf(query, block);
            for (int mask : probeMasks) {
                for (int position = heads[block][value ^ mask]; position >= 0; position = next[block][position]) {
                    candidatesExamined++;
                    int distance = Long.bitCount(query ^ fingerprints[position]);
                    if (distance <= threshold && (distance < bestDistance
                            || (distance == bestDistance && ids[position].compareTo(ids[best]) < 0))) {
                        best = position;
                        bestDistance = distance;
                    }
                }
            }
        }
        return best < 0 ? null : new Match(best, ids[best], fingerprints[best], references[best], bestDistance);
    }

    /** Every stored entry within the threshold of the query, each once, in position order. */
    public List<Match> within(long query) {
        if (++visitStamp == 0) {
            Arrays.fill(visited, 0);
            visitStamp = 1;
        }
        List<Match> matches = new ArrayList<>();
        for (int block = 0; block < BLOCKS; block++) {
            int value = blockOf(query, block);
            for (int mask : probeMasks) {
                for (int position = heads[block][value ^ mask]; position >= 0; position = next[block][position]) {
                    candidatesExamined++;
                    if (visited[position] == visitStamp) {
                        continue;
                    }
                    visited[position] = visitStamp;
                    int distance = Long.bitCount(query ^ fingerprints[position]);
                    if (distance <= threshold) {
                        matches.add(new Match(position, ids[position], fingerprints[position], references[position], distance));
                    }
                }
            }
        }
        matches.sort(java.util.Comparator.comparingInt(Match::position));
        return matches;
    }

    private static int blockOf(long fingerprint, int block) {
        return (int) (fingerprint >>> (block * BLOCK_BITS)) & (BLOCK_VALUES - 1);
    }

    /** Every 16-bit mask with at most {@code radius} bits set, the zero mask first. */
    static int[] masksWithin(int radius) {
        int[] masks = new int[BLOCK_VALUES];
        int count = 0;
        for (int bits = 0; bits <= radius; bits++) {
            for (int mask = 0; mask < BLOCK_VALUES; mask++) {
                if (Integer.bitCount(mask) == bits) {
                    masks[count++] = mask;
                }
            }
        }
        return Arrays.copyOf(masks, count);
    }

    private void allocate(int capacity) {
        fingerprints = fingerprints == null ? new long[capacity] : Arrays.copyOf(fingerprints, capacity);
        references = references == null ? new long[capacity] : Arrays.copyOf(references, capacity);
        ids = ids == null ? new String[capacity] : Arrays.copyOf(ids, capacity);
        visited = visited == null ? new int[capacity] : Arrays.copyOf(visited, capacity);
        for (int block = 0; block < BLOCKS; block++) {
            next[block] = next[block] == null ? new int[capacity] : Arrays.copyOf(next[block], capacity);
        }
    }
}
