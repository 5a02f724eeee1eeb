package io.misalignstream.simhash;

/**
 * How fingerprints are made. {@link #version()} names the configuration; fingerprints are comparable
 * only within one version, and a given text always has the same fingerprint under a given version.
 *
 * @param kind      word or character n-grams
 * @param n         the n of the n-grams
 * @param algorithm 2 (the default): the SimHash and, with each indexed prompt, its {@link SetSignature}, so that
 *                  a near-duplicate is verified ({@link DuplicateRule}); 1: the SimHash alone, for indexes made
 *                  before version 2 (same fingerprint bits, no signatures)
 */
public record FingerprintConfig(FeatureKind kind, int n, int algorithm) {

    /** Character 3-grams: chosen by the near-duplicate benchmark (docs/benchmarks.md). */
    public static final FingerprintConfig DEFAULT = new FingerprintConfig(FeatureKind.CHAR, 3);

    /**
     * Hamming radius k for texts of 60 characters or more (shorter ones get up to 6 bits more, {@link DuplicateRule}):
     * with the similarity check, precision 0.987 and recall 0.963 on light edits in the near-duplicate benchmark; also
     * the papers' tau.
     */
    public static final int DEFAULT_THRESHOLD = 10;

    /** Bumped whenever normalisation, feature extraction, hashing or what is stored beside a fingerprint changes. */
    static final int ALGORITHM = 2;

    public FingerprintConfig(FeatureKind kind, int n) {
        this(kind, n, ALGORITHM);
    }

    public FingerprintConfig {
        if (kind == null) {
            throw new IllegalArgumentException("feature kind is required");
        }
        if (n < 1 || n > 16) {
            throw new IllegalArgumentException("n-gram size must be between 1 and 16, was " + n);
        }
        if (algorithm < 1 || algorithm > ALGORITHM) {
            throw new IllegalArgumentException("fingerprint algorithm must be 1 or " + ALGORITHM + ", was " + algorithm);
        }
    }

    /** For example {@code simhash2-char4}. */
    public String version() {
        return "simhash" + algorithm + "-" + kind.name().toLowerCase(java.util.Locale.ROOT) + n;
    }

    /** Whether indexed prompts carry signatures and near-duplicates are verified. */
    public boolean verified() {
        return algorithm >= 2;
    }

    /** {@code char3} (the current algorithm) or a whole version such as {@code simhash1-char3}. */
    public static FingerprintConfig parse(String text) {
        String spec = text.trim().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher versioned = java.util.regex.Pattern.compile("simhash(\\d+)-(.+)").matcher(spec);
        if (versioned.matches()) {
            FingerprintConfig features = parse(versioned.group(2));
            return new FingerprintConfig(features.kind(), features.n(), Integer.parseInt(versioned.group(1)));
        }
        FeatureKind kind = spec.startsWith("word") ? FeatureKind.WORD : spec.startsWith("char") ? FeatureKind.CHAR : null;
        if (kind == null) {
            throw new IllegalArgumentException("features must be word<N> or char<N>, was '" + text + "'");
        }
        return new FingerprintConfig(kind, Integer.parseInt(spec.substring(4)));
    }
}
