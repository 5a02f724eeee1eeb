package io.misalignstream.simhash;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * Charikar's SimHash over n-gram features of the normalised text, each feature hashed with XXH3-64
 * and weighted by its frequency (adding every occurrence is the same as weighting each distinct
 * feature by its count). Bit b of the fingerprint is 1 when the features whose hash has bit b set
 * outweigh those whose hash has it clear.
 *
 * <p>Short texts: a text with fewer than n words (word features) or n characters (character
 * features) has the whole normalised text as its single feature. A text that normalises to nothing
 * (only punctuation, symbols' separators and spaces) is fingerprinted from its NFKC, case-folded form
 * with nothing removed, so "???" and "!!!" differ.
 *
 * <p>Not thread-safe: it reuses its buffers. One instance per thread.
 */
public final class SimHasher {

    private static final Hasher64 HASH = Hashing.xxh3_64();

    /** Bit 0 of each byte: adding (hash >>> lane) & BYTE_ONES counts bits lane, lane + 8, ... lane + 56 at once. */
    private static final long BYTE_ONES = 0x0101010101010101L;
    /** Byte counters overflow past 255, so hashes are counted in batches of at most this many. */
    private static final int BATCH = 255;

    private final FingerprintConfig config;
    private final long[] batch = new long[BATCH];
    private int batched;
    /** setCounts[b]: how many of the features counted so far have bit b set in their hash. */
    private final int[] setCounts = new int[64];
    private int features;
    private final CharWindow window = new CharWindow();
    private int[] wordStarts = new int[64];

    public SimHasher(FingerprintConfig config) {
        this.config = config;
    }

    public FingerprintConfig config() {
        return config;
    }

    public long fingerprint(String text) {
        return fingerprintOfNormalized(normalizedForFeatures(text));
    }

    long fingerprintOfNormalized(String normalized) {
        java.util.Arrays.fill(setCounts, 0);
        features = 0;
        batched = 0; // nothing left over from a call that threw
        if (config.kind() == FeatureKind.WORD) {
            addWordGrams(normalized);
        } else {
            addCharGrams(normalized);
        }
        countBatch();
        if (features == 0) {
            add(HASH.hashCharsToLong(normalized));
            countBatch();
        }
        long fingerprint = 0;
        for (int bit = 0; bit < 64; bit++) {
            // Bit b is set when its +1/-1 weight, setCounts[b] - (features - setCounts[b]), is positive:
            // the sign of features - 2 setCounts[b], without a branch that mispredicts half the time.
            fingerprint |= ((features - 2L * setCounts[bit]) >>> 63) << bit;
        }
        return fingerprint;
    }

    /** The text features are taken from: normalised, or, when that leaves nothing, folded with nothing removed. */
    static String normalizedForFeatures(String text) {
        String normalized = TextNormalizer.normalize(text);
        return normalized.isEmpty() ? TextNormalizer.fold(text).strip() : normalized;
    }

    private void addCharGrams(String text) {
        int n = config.n();
        window.over(text);
        for (int start = 0; start + n <= text.length(); start++) {
            add(HASH.hashCharsToLong(window.range(start, start + n)));
        }
    }

    private void addWordGrams(String text) {
        int words = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i == 0 || text.charAt(i - 1) == ' ') {
                if (words == wordStarts.length) {
                    wordStarts = java.util.Arrays.copyOf(wordStarts, words * 2);
                }
                wordStarts[words++] = i;
            }
        }
        int n = config.n();
        window.over(text);
        for (int w = 0; w + n <= words; w++) {
            int end = w + n < words ? wordStarts[w + n] - 1 : text.length();
            add(HASH.hashCharsToLong(window.range(wordStarts[w], end)));
        }
    }

    private void add(long hash) {
        batch[batched++] = hash;
        if (batched == BATCH) {
            countBatch();
        }
    }

    /**
     * Adds the set bits of the batched hashes to setCounts: eight byte-wise additions per hash, in
     * registers, rather than 64 additions to an array.
     */
    private void countBatch() {
        long lane0 = 0, lane1 = 0, lane2 = 0, lane3 = 0, lane4 = 0, lane5 = 0, lane6 = 0, lane7 = 0;
        for (int i = 0; i < batched; i++) {
            long hash = batch[i];
            lane0 += hash & BYTE_ONES;
            lane1 += (hash >>> 1) & BYTE_ONES;
            lane2 += (hash >>> 2) & BYTE_ONES;
            lane3 += (hash >>> 3) & BYTE_ONES;
            lane4 += (hash >>> 4) & BYTE_ONES;
            lane5 += (hash >>> 5) & BYTE_ONES;
            lane6 += (hash >>> 6) & BYTE_ONES;
            lane7 += (hash >>> 7) & BYTE_ONES;
        }
        addLane(lane0, 0);
        addLane(lane1, 1);
        addLane(lane2, 2);
        addLane(lane3, 3);
        addLane(lane4, 4);
        addLane(lane5, 5);
        addLane(lane6, 6);
        addLane(lane7, 7);
        features += batched;
        batched = 0;
    }

    /** Byte k of counts is the count of bit 8k + lane. */
    private void addLane(long counts, int lane) {
        for (int k = 0; k < 8; k++) {
            setCounts[8 * k + lane] += (int) ((counts >>> (8 * k)) & 0xFF);
        }
    }
}
