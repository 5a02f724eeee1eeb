package io.misalignstream.simhash;

/**
 * When a candidate is a near-duplicate of a stored prompt.
 *
 * <p>Verified (fingerprint version 2, the default): the SimHash fingerprint proposes stored prompts within a
 * radius that widens for short texts (a typo moves a 20-character text's fingerprint by 12 bits at the median,
 * a 200-character one's by 3), and a proposal is a duplicate only when the two texts' character 5-gram sets are
 * at least {@code minSimilarity} alike by their {@link SetSignature}s. The radius finds the light edits; the
 * similarity keeps distinct prompts that fall near each other by chance apart (docs/benchmarks.md).
 *
 * <p>Hamming only (version 1): within {@code threshold} bits, whatever the texts' length.
 *
 * @param threshold     the radius for texts of {@value #SHORT_TEXT} normalised characters or more (k)
 * @param minSimilarity the least estimated Jaccard similarity of a verified duplicate; ignored when not verified
 * @param verified      whether candidates carry signatures and proposals are verified
 */
public record DuplicateRule(int threshold, double minSimilarity, boolean verified) {

    /** Below this many normalised characters a text's radius widens. */
    public static final int SHORT_TEXT = 60;
    /**
     * Estimated Jaccard similarity of 5-gram sets: light edits of real queries of 40 to 59 characters keep 0.62 or more in
     * 95 of 100 (0.53 from 30, 0.40 from 20), while about 1 in 1,000 short queries has a distinct one within 16 bits this
     * alike (docs/benchmarks.md).
     */
    public static final double DEFAULT_MIN_SIMILARITY = 0.5;

    public DuplicateRule {
        if (threshold < 0 || threshold > HammingIndex.MAX_DISTANCE) {
            throw new IllegalArgumentException("threshold must be between 0 and " + HammingIndex.MAX_DISTANCE + ", was " + threshold);
        }
        if (verified && !(minSimilarity > 0 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("minimum similarity must be in (0, 1], was " + minSimilarity);
        }
    }

    public static DuplicateRule hammingOnly(int threshold) {
        return new DuplicateRule(threshold, DEFAULT_MIN_SIMILARITY, false);
    }

    public static DuplicateRule verified(int threshold, double minSimilarity) {
        return new DuplicateRule(threshold, minSimilarity, true);
    }

    /** The rule of a fingerprint configuration: verified from version 2 on. */
    public static DuplicateRule of(FingerprintConfig features, int threshold, double minSimilarity) {
        return features.verified() ? verified(threshold, minSimilarity) : hammingOnly(threshold);
    }

    /**
     * The radius for a text of this many normalised characters: the threshold, or for verified short texts the
     * threshold plus 2 bits under 60 characters, plus 4 under 40 and plus 6 under 30, at most 16 (with k = 10: 12, 14
     * and 16, each band's radius holding 95 in 100 light edits of real short queries of that band, 81 in 100 under
     * 20 characters).
     */
    public int radius(int normalizedLength) {
        if (!verified || normalizedLength >= SHORT_TEXT) {
            return threshold;
        }
        int widening = normalizedLength < 30 ? 6 : normalizedLength < 40 ? 4 : 2;
        return Math.min(HammingIndex.MAX_DISTANCE, threshold + widening);
    }

    /**
     * The rule for one pair, as the index applies it to every accepted prompt: {@code candidate} is a near-duplicate
     * of {@code stored} when their fingerprints are within the candidate's radius and, when verified, their
     * signatures at least {@code minSimilarity} alike.
     */
    public boolean matches(Candidate stored, Candidate candidate) {
        int distance = Long.bitCount(stored.fingerprint() ^ candidate.fingerprint());
        return distance <= radius(candidate.normalizedLength())
                && (!verified || SetSignature.similarity(stored.signature(), candidate.signature()) >= minSimilarity);
    }

    /**
     * Whether one of two prompts is a near-duplicate of the other whichever came first: what no two accepted prompts
     * may be. The one decided later was searched within its own radius, never less than the longer text's.
     */
    public boolean matchesInEitherOrder(Candidate a, Candidate b) {
        return a.normalizedLength() <= b.normalizedLength() ? matches(a, b) : matches(b, a);
    }

    /** The widest radius any candidate gets: what the index is built for. */
    public int maxRadius() {
        return radius(0);
    }
}
