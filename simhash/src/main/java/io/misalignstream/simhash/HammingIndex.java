package io.misalignstream.simhash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * An exact in-memory index of 64-bit fingerprints for Hamming-distance search (multi-index hashing,
 * Norouzi, Punjani and Fleet 2012): the 64 bits are split into m blocks (4 to 8, of 64/m bits rounded),
 * each with a table from block value to the entries having it.
 *
 * <p>Probing radii, with k = mr + a (0 &le; a &lt; m): blocks 0..a are probed within r bits and blocks
 * a+1..m-1 within r-1 (not at all when that is negative). If every block 0..a differed by r+1 or more and
 * every other block by r or more, the fingerprints would differ by at least (a+1)(r+1) + (m-1-a)r = k+1
 * bits; so a fingerprint within k of the query shares a probed bucket with it, and the search is exact.
 * With four blocks, k = 3 probes four buckets and k = 0 one; with five, k = 10 probes 92 + 14 + 14 + 14 + 13 = 147.
 *
 * <p>Each bucket stores its entries' fingerprints contiguously, so a probe is one cache miss and a
 * sequential scan, not a pointer chase. Memory per entry: 12 bytes in each probed block's bucket
 * (fingerprint and position), 8 of fingerprint, 8 of reference, plus the entry's id.
 *
 * <p>Adding is single-threaded; {@link #nearest} may run on many threads at once while nothing is added.
 */
public final class HammingIndex {

    public static final int MAX_DISTANCE = 16;

    /** Per block count and radius, per block, the masks a search within that radius probes. */
    private static final Map<Integer, int[][]> PROBES = new ConcurrentHashMap<>();

    /** An entry within the threshold of a query. */
    public record Match(int position, String id, long fingerprint, long reference, int distance) {
    }

    private final int threshold;
    private final int blocks;
    private final int[] blockShift;
    private final int[] blockMask;
    private final int[] bucketBase;
    /** Per block, the masks to probe with at the threshold; empty for a block that need not be probed (nor indexed). */
    private final int[][] probeMasks;

    private final long[][] bucketFingerprints;
    private final int[][] bucketPositions;
    private final int[] bucketSizes;
    private final LongAdder candidatesExamined = new LongAdder();
    /** Distances the first pass of {@link #nearest} finds every entry within: the indexed blocks minus one. */
    private final int exactPassRadius;
    private long[] fingerprints = new long[1024];
    private long[] references = new long[1024];
    private String[] ids = new String[1024];
    private int size;

    public HammingIndex(int threshold) {
        this(threshold, blocksFor(threshold));
    }

    /**
     * The block count with the cheapest lookups at a million entries (docs/benchmarks.md): four 16-bit
     * blocks up to k = 7, five 13-bit blocks from k = 8 (at k = 10, 147 buckets of ~120 entries beat 428 of
     * ~15: the probes' cache misses cost more than scanning contiguous fingerprints).
     */
    public static int blocksFor(int threshold) {
        return threshold >= 8 ? 5 : 4;
    }

    /** With the 64 bits split into {@code blocks} blocks of (nearly) equal width, 4 to 8. */
    public HammingIndex(int threshold, int blocks) {
        if (threshold < 0 || threshold > MAX_DISTANCE) {
            throw new IllegalArgumentException("Hamming threshold must be between 0 and " + MAX_DISTANCE + ", was " + threshold);
        }
        if (blocks < 4 || blocks > 8) {
            throw new IllegalArgumentException("blocks must be between 4 and 8, was " + blocks);
        }
        this.threshold = threshold;
        this.blocks = blocks;
        this.blockShift = new int[blocks];
        this.blockMask = new int[blocks];
        this.bucketBase = new int[blocks + 1];
        this.probeMasks = new int[blocks][];
        int shift = 0;
        for (int block = 0; block < blocks; block++) {
            int width = 64 / blocks + (block < 64 % blocks ? 1 : 0);
            blockShift[block] = shift;
            blockMask[block] = (1 << width) - 1;
            bucketBase[block + 1] = bucketBase[block] + (1 << width);
            shift += width;
        }
        System.arraycopy(probeMasks(threshold), 0, probeMasks, 0, blocks);
        this.exactPassRadius = (int) Arrays.stream(probeMasks).filter(masks -> masks.length > 0).count() - 1;
        this.bucketFingerprints = new long[bucketBase[blocks]][];
        this.bucketPositions = new int[bucketBase[blocks]][];
        this.bucketSizes = new int[bucketBase[blocks]];
    }

    public int threshold() {
        return threshold;
    }

    /**
     * The masks each block is probed with for a search within {@code radius}: with k = mr + a, blocks 0..a within
     * r bits and the others within r - 1. A smaller radius probes a subset of the buckets the threshold's does, so
     * the entries the threshold indexes are enough.
     */
    private int[][] probesWithin(int radius) {
        int[][] masks = new int[blocks][];
        for (int block = 0; block < blocks; block++) {
            int width = Integer.bitCount(blockMask[block]);
            masks[block] = masksWithin(block <= radius % blocks ? radius / blocks : radius / blocks - 1, width);
        }
        return masks;
    }

    /** Shared by every index of the block count, made once and never changed: safely published by the map. */
    private int[][] probeMasks(int radius) {
        if (radius < 0 || radius > threshold) {
            throw new IllegalArgumentException("radius must be between 0 and the index's threshold " + threshold + ", was " + radius);
        }
        return PROBES.computeIfAbsent(blocks * (MAX_DISTANCE + 1) + radius, key -> probesWithin(radius));
    }

    public int size() {
        return size;
    }

    /** Candidates compared with a query so far (entries found in the probed buckets), for metrics. */
    public long candidatesExamined() {
        return candidatesExamined.sum();
    }

    /**
     * Buckets a search within {@code radius} (at most the threshold) probes: the cost of a lookup apart from the
     * candidates compared.
     */
    public int bucketsWithin(int radius) {
        return Arrays.stream(probeMasks(radius)).mapToInt(masks -> masks.length).sum();
    }

    /**
     * Adds an entry. {@code reference} is the caller's handle for it (the Redis log offset, a file row).
     *
     * @return its position, 0 for the first entry
     */
    public int add(long fingerprint, String id, long reference) {
        if (size == fingerprints.length) {
            int capacity = size * 2;
            fingerprints = Arrays.copyOf(fingerprints, capacity);
            references = Arrays.copyOf(references, capacity);
            ids = Arrays.copyOf(ids, capacity);
        }
        int position = size++;
        fingerprints[position] = fingerprint;
        references[position] = reference;
        ids[position] = id;
        for (int block = 0; block < blocks; block++) {
            if (probeMasks[block].length > 0) {
                append(bucketOf(block, blockOf(fingerprint, block)), fingerprint, position);
            }
        }
        return position;
    }

    private void append(int bucket, long fingerprint, int position) {
        int count = bucketSizes[bucket];
        long[] bucketFingerprint = bucketFingerprints[bucket];
        if (bucketFingerprint == null || count == bucketFingerprint.length) {
            int capacity = count == 0 ? 4 : count * 2;
            bucketFingerprints[bucket] = bucketFingerprint = bucketFingerprint == null
                    ? new long[capacity] : Arrays.copyOf(bucketFingerprint, capacity);
            bucketPositions[bucket] = bucketPositions[bucket] == null
                    ? new int[capacity] : Arrays.copyOf(bucketPositions[bucket], capacity);
        }
        bucketFingerprint[count] = fingerprint;
        bucketPositions[bucket][count] = position;
        bucketSizes[bucket] = count + 1;
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
     *
     * <p>Two passes. The first scans only the query's own bucket in each indexed block; a fingerprint that differs
     * from the query in fewer bits than there are indexed blocks leaves one of those blocks unchanged, so that pass
     * finds every entry within the indexed blocks minus one bits. If its nearest is that close, nothing the other buckets
     * hold can be nearer or as near, and the search stops; otherwise the second pass scans the remaining buckets.
     * A near-copy costs one bucket per block; any other query costs what one pass over all buckets does.
     */
    public Match nearest(long query) {
        return nearest(query, threshold, position -> true);
    }

    /**
     * The nearest stored entry within {@code radius} (at most the threshold) that {@code accepts} takes, chosen as
     * {@link #nearest(long)} chooses; {@code accepts} is asked only about entries that would be nearer than the best
     * so far, and may be asked twice about one.
     */
    public Match nearest(long query, int radius, IntPredicate accepts) {
        int[][] masksByBlock = probeMasks(radius);
        Nearest nearest = firstPass(query, radius, accepts);
        if (nearest.distance > exactPassRadius) {
            for (int block = 0; block < blocks; block++) {
                int value = blockOf(query, block);
                int[] masks = masksByBlock[block];
                for (int m = 1; m < masks.length; m++) { // masks[0] == 0: scanned in the first pass
                    nearest.scan(bucketOf(block, value ^ masks[m]));
                }
            }
        }
        candidatesExamined.add(nearest.examined);
        int best = nearest.position;
        return best < 0 ? null : new Match(best, ids[best], fingerprints[best], references[best], nearest.distance);
    }

    /**
     * What {@link #nearest(long, int, IntPredicate)} gives when its first pass alone settles it, an entry within the indexed
     * blocks minus one bits (a near-copy); {@code null} when it does not, and a search of the rest must follow.
     */
    public Match nearestNearCopy(long query, int radius, IntPredicate accepts) {
        probeMasks(radius);
        Nearest nearest = firstPass(query, radius, accepts);
        candidatesExamined.add(nearest.examined);
        int best = nearest.position;
        return best < 0 || nearest.distance > exactPassRadius ? null
                : new Match(best, ids[best], fingerprints[best], references[best], nearest.distance);
    }

    private Nearest firstPass(long query, int radius, IntPredicate accepts) {
        Nearest nearest = new Nearest(query, radius, accepts);
        for (int block = 0; block < blocks; block++) {
            if (probeMasks[block].length > 0) {
                nearest.scan(bucketOf(block, blockOf(query, block)));
            }
        }
        return nearest;
    }

    /** The best entry so far of one {@link #nearest} search. */
    private final class Nearest {
        private final long query;
        private final int radius;
        private final IntPredicate accepts;
        private int position = -1;
        private int distance = Integer.MAX_VALUE;
        private long examined;

        Nearest(long query, int radius, IntPredicate accepts) {
            this.query = query;
            this.radius = radius;
            this.accepts = accepts;
        }

        void scan(int bucket) {
            int count = bucketSizes[bucket];
            if (count == 0) {
                return;
            }
            long[] bucketFingerprint = bucketFingerprints[bucket];
            examined += count;
            for (int i = 0; i < count; i++) {
                int candidate = Long.bitCount(query ^ bucketFingerprint[i]);
                if (candidate <= radius && candidate <= distance) {
                    int at = bucketPositions[bucket][i];
                    if ((candidate < distance || ids[at].compareTo(ids[position]) < 0) && accepts.test(at)) {
                        position = at;
                        distance = candidate;
                    }
                }
            }
        }
    }

    /** Every stored entry within the threshold of the query, each once, in position order. */
    public List<Match> within(long query) {
        List<Match> matches = new ArrayList<>();
        long examined = 0;
        for (int block = 0; block < blocks; block++) {
            int value = blockOf(query, block);
            for (int mask : probeMasks[block]) {
                int bucket = bucketOf(block, value ^ mask);
                examined += bucketSizes[bucket];
                for (int i = 0; i < bucketSizes[bucket]; i++) {
                    int distance = Long.bitCount(query ^ bucketFingerprints[bucket][i]);
                    if (distance <= threshold) {
                        int position = bucketPositions[bucket][i];
                        matches.add(new Match(position, ids[position], fingerprints[position], references[position], distance));
                    }
                }
            }
        }
        candidatesExamined.add(examined);
        // an entry sharing several probed buckets with the query is found once per bucket
        matches.sort(Comparator.comparingInt(Match::position));
        List<Match> distinct = new ArrayList<>(matches.size());
        for (Match match : matches) {
            if (distinct.isEmpty() || distinct.get(distinct.size() - 1).position() != match.position()) {
                distinct.add(match);
            }
        }
        return distinct;
    }

    private int bucketOf(int block, int value) {
        return bucketBase[block] + value;
    }

    private int blockOf(long fingerprint, int block) {
        return (int) (fingerprint >>> blockShift[block]) & blockMask[block];
    }

    /** Every {@code width}-bit mask with at most {@code radius} bits set, the zero mask first; none for a negative radius. */
    static int[] masksWithin(int radius, int width) {
        int values = 1 << width;
        int[] masks = new int[values];
        int count = 0;
        for (int bits = 0; bits <= radius; bits++) {
            for (int mask = 0; mask < values; mask++) {
                if (Integer.bitCount(mask) == bits) {
                    masks[count++] = mask;
                }
            }
        }
        return Arrays.copyOf(masks, count);
    }
}
