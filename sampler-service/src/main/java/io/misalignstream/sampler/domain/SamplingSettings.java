package io.misalignstream.sampler.domain;

/**
 * The numbers of two-stage rejection sampling; {@link #PAPERS} holds the papers' values.
 *
 * @param candidates responses generated per polarity and attempt (K)
 * @param feedbackIterations attempts after the first, each with the judge's feedback on the last one
 * @param minWords a shorter response is filtered out before the judge sees it
 * @param maxChars a longer response is filtered out before the judge sees it
 * @param nearIdenticalBits an aligned and a misaligned response whose SimHash fingerprints are at most this many bits
 *        apart are near-identical: the misaligned one is filtered out
 */
public record SamplingSettings(int candidates, int feedbackIterations, int minWords, int maxChars, int nearIdenticalBits) {

    public static final SamplingSettings PAPERS = new SamplingSettings(3, 2, 5, 8_000, 10);

    public SamplingSettings {
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates: at least 1");
        }
        if (feedbackIterations < 0) {
            throw new IllegalArgumentException("feedbackIterations: 0 or more");
        }
        if (minWords < 1 || maxChars < 1) {
            throw new IllegalArgumentException("minWords and maxChars: at least 1");
        }
        if (nearIdenticalBits < 0 || nearIdenticalBits > 64) {
            throw new IllegalArgumentException("nearIdenticalBits: 0 to 64");
        }
    }

    /** Attempts per polarity at most: the first and its feedback iterations. */
    public int attempts() {
        return 1 + feedbackIterations;
    }
}
