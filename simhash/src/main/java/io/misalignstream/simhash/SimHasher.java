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

    private final FingerprintConfig config;
    private final int[] weights = new int[64];
    private final CharWindow window = new CharWindow();
    private int[] wordStarts = new int[64];

    public SimHasher(FingerprintConfig config) {
        this.config = config;
    }

    public FingerprintConfig config() {
        return config;
    }

    public long fingerprint(String text) {
        String normalized = TextNormalizer.normalize(text);
        if (normalized.isEmpty()) {
            normalized = TextNormalizer.fold(text).strip();
        }
        java.util.Arrays.fill(weights, 0);
        int features = config.kind() == FeatureKind.WORD ? addWordGrams(normalized) : addCharGrams(normalized);
        if (features == 0) {
            add(HASH.hashCharsToLong(normalized));
        }
        long fingerprint = 0;
        for (int bit = 0; bit < 64; bit++) {
            if (weights[bit] > 0) {
                fingerprint |= 1L << bit;
            }
        }
        return fingerprint;
    }

    private int addCharGrams(String text) {
        int n = config.n();
        int count = 0;
        for (int start = 0; start + n <= text.length(); start++) {
            add(HASH.hashCharsToLong(window.of(text, start, start + n)));
            count++;
        }
        return count;
    }

    private int addWordGrams(String text) {
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
        int count = 0;
        for (int w = 0; w + n <= words; w++) {
            int end = w + n < words ? wordStarts[w + n] - 1 : text.length();
            add(HASH.hashCharsToLong(window.of(text, wordStarts[w], end)));
            count++;
        }
        return count;
    }

    private void add(long hash) {
        for (int bit = 0; bit < 64; bit++) {
            // +1 when the bit is set, -1 when it is clear, without a branch
            weights[bit] += (int) ((hash >>> bit) & 1L) * 2 - 1;
        }
    }

    /** A view of part of a string, so that hashing an n-gram allocates nothing. */
    private static final class CharWindow implements CharSequence {
        private String text;
        private int start;
        private int end;

        CharWindow of(String text, int start, int end) {
            this.text = text;
            this.start = start;
            this.end = end;
            return this;
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public char charAt(int index) {
            return text.charAt(start + index);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return text.substring(start + from, start + to);
        }

        @Override
        public String toString() {
            return text.substring(start, end);
        }
    }
}
