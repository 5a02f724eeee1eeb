package io.misalignstream.simhash;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * An exact in-memory search for the stored entries whose {@link SetSignature}s agree with a query's in enough
 * components to be as alike as a {@link DuplicateRule} asks, for the wide radii of short texts.
 *
 * <p>The 128 components are cut into {@value #BANDS} bands of two, and each band has a table from its 16-bit value to
 * the positions of the entries having it. An entry at least 0.5 alike (by {@link SetSignature#similarity}) agrees in at
 * least 65 components, so it differs in at most 63: fewer than there are bands, so one band at least is unchanged and
 * the entry is in that band's bucket of the query's value. The search is exact for any minimum similarity that needs
 * more than {@code 128 - 64} equal components ({@link #exactFor}).
 *
 * <p>Why: at a radius of 16 bits the {@link HammingIndex} probes 1,019 buckets and compares about 140,000 stored
 * fingerprints per lookup at a million entries; the bands hold about 1,000 entries per lookup, whose fingerprints and
 * signatures are then checked (docs/benchmarks.md). The price is memory: 64 positions per entry, in chunks of
 * 2 and 14 (454 bytes an entry at a million, docs/benchmarks.md).
 *
 * <p>Positions are those of the {@link HammingIndex} the entries were added to in the same order. Adding is
 * single-threaded; {@link #nearest} may run on many threads at once while nothing is added.
 */
final class SignatureBands {

    static final int BANDS = SetSignature.COMPONENTS / 2;
    private static final int KEYS = 1 << 16;
    /**
     * A chunk: the next (older) chunk of its bucket, its count, then its positions. A bucket's first chunk holds 2 (16
     * bytes), the later ones 14 (64 bytes): most buckets of a copy of 65,536 entries hold one entry, of a million 15.
     */
    private static final int FIRST_CHUNK = 4;
    private static final int CHUNK = 16;
    private static final int PAGE_BITS = 16;
    private static final int PAGE = 1 << PAGE_BITS;

    /**
     * Per band and value, the bucket's newest chunk (0: empty). Chunks live in pages of 256 KB that are never copied (nor
     * allocated outside the young generation): adding is two cache misses per band and makes no garbage (per-bucket arrays
     * grown by copying took twice as long).
     */
    private final int[] heads = new int[BANDS * KEYS];
    private int[][] pages = new int[16][];
    /** Where the next chunk goes; the start is never used, so that 0 means none. */
    private int nextChunk = CHUNK;
    private final LongAdder candidatesExamined = new LongAdder();
    private int size;

    /** Whether every entry this alike shares a band with the query, so that {@link #nearest} is exact. */
    static boolean exactFor(double minSimilarity) {
        return SetSignature.COMPONENTS - SetSignature.leastEqualComponents(minSimilarity) < BANDS;
    }

    int size() {
        return size;
    }

    long candidatesExamined() {
        return candidatesExamined.sum();
    }

    /** Adds the next entry's signature, found at {@code offset} of {@code source}. */
    void add(byte[] source, int offset) {
        int position = size;
        for (int band = 0; band < BANDS; band++) {
            int bucket = bucketOf(band, source, offset);
            int chunk = heads[bucket];
            if (chunk == 0 || full(chunk)) {
                chunk = newChunk(chunk);
                heads[bucket] = chunk;
            }
            int[] page = page(chunk);
            int at = chunk & (PAGE - 1);
            page[at + 2 + page[at + 1]++] = position;
        }
        // counted once in every band: an add that fails part-way is made again whole (a repeated position is harmless)
        size++;
    }

    /** Only a bucket's first chunk, the last of its chain, is small. */
    private boolean full(int chunk) {
        int[] page = page(chunk);
        int at = chunk & (PAGE - 1);
        return page[at + 1] == (page[at] == 0 ? FIRST_CHUNK : CHUNK) - 2;
    }

    private int newChunk(int older) {
        int length = older == 0 ? FIRST_CHUNK : CHUNK;
        if ((nextChunk & (PAGE - 1)) + length > PAGE) {
            nextChunk = (nextChunk | (PAGE - 1)) + 1; // a chunk never straddles two pages
        }
        if (nextChunk < 0 || nextChunk > Integer.MAX_VALUE - CHUNK) {
            throw new IllegalStateException("signature bands are full: " + size + " entries");
        }
        int chunk = nextChunk;
        nextChunk += length;
        int pageIndex = chunk >>> PAGE_BITS;
        if (pageIndex == pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
        }
        if (pages[pageIndex] == null) {
            pages[pageIndex] = new int[PAGE];
        }
        pages[pageIndex][chunk & (PAGE - 1)] = older;
        return chunk;
    }

    private int[] page(int chunk) {
        return pages[chunk >>> PAGE_BITS];
    }

    /**
     * As {@link HammingIndex#nearest(long, int, IntPredicate)} on {@code entries}: the entry within {@code radius} bits
     * of {@code query} that {@code accepts} takes, nearest first then smallest id, among those sharing a band with
     * {@code signature}; every entry as alike as {@link #exactFor} was asked about does. {@code accepts} may be asked
     * more than once about one entry.
     */
    HammingIndex.Match nearest(HammingIndex entries, long query, int radius, byte[] signature, IntPredicate accepts) {
        // Three passes of independent loads, so that the memory system overlaps them: the bands' heads, their chunks,
        // then the entries' fingerprints (about a thousand at a million entries, nearly all of them not near).
        int[] chunks = new int[BANDS];
        for (int band = 0; band < BANDS; band++) {
            chunks[band] = heads[bucketOf(band, signature, 0)];
        }
        int[] positions = new int[1024];
        int count = 0;
        for (int band = 0; band < BANDS; band++) {
            for (int chunk = chunks[band]; chunk != 0; ) {
                int[] page = page(chunk);
                int at = chunk & (PAGE - 1);
                int inChunk = page[at + 1];
                if (count + inChunk > positions.length) {
                    positions = Arrays.copyOf(positions, positions.length * 2);
                }
                System.arraycopy(page, at + 2, positions, count, inChunk);
                count += inChunk;
                chunk = page[at];
            }
        }
        candidatesExamined.add(count);
        int best = -1;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            int position = positions[i];
            int distance = Long.bitCount(query ^ entries.fingerprint(position));
            if (distance <= radius && distance <= bestDistance
                    && (distance < bestDistance || entries.id(position).compareTo(entries.id(best)) < 0)
                    && accepts.test(position)) {
                best = position;
                bestDistance = distance;
            }
        }
        return best < 0 ? null
                : new HammingIndex.Match(best, entries.id(best), entries.fingerprint(best), entries.reference(best), bestDistance);
    }

    private static int bucketOf(int band, byte[] signature, int offset) {
        int at = offset + 2 * band;
        return band * KEYS + ((signature[at] & 0xff) << 8 | (signature[at + 1] & 0xff));
    }
}
