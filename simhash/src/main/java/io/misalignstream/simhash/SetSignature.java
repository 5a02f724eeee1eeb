package io.misalignstream.simhash;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import com.dynatrace.hash4j.similarity.ElementHashProvider;
import com.dynatrace.hash4j.similarity.SimilarityHashPolicy;
import com.dynatrace.hash4j.similarity.SimilarityHasher;
import com.dynatrace.hash4j.similarity.SimilarityHashing;
import com.dynatrace.hash4j.similarity.SuperMinHashVersion;
import java.util.Arrays;

/**
 * A signature of the set of a text's character 5-grams (normalised as for its fingerprint) from which the
 * Jaccard similarity of two texts' sets is estimated: SuperMinHash (Ertl 2017, hash4j's pinned version 1)
 * with {@value #COMPONENTS} components of 8 bits, {@value #BYTES} bytes. Two signatures agree in a component
 * with probability J + (1 - J) / 256; {@link #similarity} inverts that. Standard error about
 * sqrt(J (1 - J) / 128), 0.044 at J = 0.5.
 *
 * <p>5-grams rather than the fingerprint's 3-grams: English shares most 3-grams between unrelated texts, so
 * their sets overlap by chance; 5-grams keep distinct prompts apart and a typo still leaves most of a
 * sentence's 5-grams. Not thread-safe: it reuses its buffers. One instance per thread.
 */
public final class SetSignature {

    public static final int COMPONENTS = 128;
    public static final int BYTES = COMPONENTS;
    static final int SHINGLE = 5;
    private static final double CHANCE = 1.0 / 256;
    private static final Hasher64 HASH = Hashing.xxh3_64();
    private static final SimilarityHashPolicy POLICY = SimilarityHashing.superMinHash(COMPONENTS, 8, SuperMinHashVersion.V1);

    private final SimilarityHasher hasher = POLICY.createHasher();
    private final CharWindow window = new CharWindow();
    private long[] hashes = new long[256];

    /** The signature of a text as {@link TextNormalizer} normalises it (an empty one: its folded form). */
    public byte[] of(String text) {
        return ofNormalized(SimHasher.normalizedForFeatures(text));
    }

    byte[] ofNormalized(String normalized) {
        int count;
        if (normalized.length() <= SHINGLE) {
            hashes[0] = HASH.hashCharsToLong(normalized);
            count = 1;
        } else {
            count = normalized.length() - SHINGLE + 1;
            if (count > hashes.length) {
                hashes = new long[Math.max(count, hashes.length * 2)];
            }
            window.over(normalized);
            for (int start = 0; start < count; start++) {
                hashes[start] = HASH.hashCharsToLong(window.range(start, start + SHINGLE));
            }
        }
        // a 5-gram repeated in the text adds nothing: SuperMinHash keeps minima
        return hasher.compute(ElementHashProvider.ofFunction(i -> hashes[i], count));
    }

    /** The estimated Jaccard similarity of the two sets, in [0, 1]. */
    public static double similarity(byte[] a, byte[] b) {
        return similarity(a, 0, b);
    }

    /** As {@link #similarity(byte[], byte[])}, with {@code a}'s signature at {@code offset} of a table. */
    public static double similarity(byte[] table, int offset, byte[] b) {
        int equal = 0;
        for (int i = 0; i < BYTES; i++) {
            if (table[offset + i] == b[i]) {
                equal++;
            }
        }
        return estimate(equal);
    }

    /** The fewest equal components of two signatures whose {@link #similarity} reaches {@code minSimilarity}. */
    static int leastEqualComponents(double minSimilarity) {
        int equal = 0;
        while (equal < COMPONENTS && estimate(equal) < minSimilarity) {
            equal++;
        }
        return equal;
    }

    static double estimate(int equalComponents) {
        double agreeing = (double) equalComponents / COMPONENTS;
        return Math.max(0.0, Math.min(1.0, (agreeing - CHANCE) / (1 - CHANCE)));
    }

    /** Signatures stored one after the other, by position; grows as entries are added. */
    static final class Table {
        private byte[] bytes = new byte[64 * BYTES];
        private int size;

        void add(byte[] signature) {
            add(signature, 0);
        }

        void add(byte[] source, int offset) {
            if ((size + 1) * BYTES > bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            System.arraycopy(source, offset, bytes, size * BYTES, BYTES);
            size++;
        }

        double similarity(int position, byte[] signature) {
            return SetSignature.similarity(bytes, position * BYTES, signature);
        }

        /** Adds to the bands, in position order, every signature they do not hold yet. */
        void addEachTo(SignatureBands bands) {
            for (int position = bands.size(); position < size; position++) {
                bands.add(bytes, position * BYTES);
            }
        }

        byte[] get(int position) {
            return Arrays.copyOfRange(bytes, position * BYTES, (position + 1) * BYTES);
        }

        int size() {
            return size;
        }
    }
}
