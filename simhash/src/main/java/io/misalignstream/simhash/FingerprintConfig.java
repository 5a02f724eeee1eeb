package io.misalignstream.simhash;

/**
 * How fingerprints are made. {@link #version()} names the configuration; fingerprints are comparable
 * only within one version, and a given text always has the same fingerprint under a given version.
 *
 * @param kind word or character n-grams
 * @param n    the n of the n-grams
 */
public record FingerprintConfig(FeatureKind kind, int n) {

    /** Character 3-grams: chosen by the near-duplicate benchmark (docs/benchmarks.md). */
    public static final FingerprintConfig DEFAULT = new FingerprintConfig(FeatureKind.CHAR, 3);

    /**
     * Hamming threshold k with the default features: precision 0.984, recall 0.932 on light edits in the
     * near-duplicate benchmark; also the papers' tau.
     */
    public static final int DEFAULT_THRESHOLD = 10;

    /** Bumped whenever normalisation, feature extraction or hashing changes what a version's fingerprints are. */
    static final int ALGORITHM = 1;

    public FingerprintConfig {
        if (kind == null) {
            throw new IllegalArgumentException("feature kind is required");
        }
        if (n < 1 || n > 16) {
            throw new IllegalArgumentException("n-gram size must be between 1 and 16, was " + n);
        }
    }

    /** For example {@code simhash1-char4}. */
    public String version() {
        return "simhash" + ALGORITHM + "-" + kind.name().toLowerCase(java.util.Locale.ROOT) + n;
    }

    public static FingerprintConfig parse(String text) {
        String spec = text.trim().toLowerCase(java.util.Locale.ROOT);
        FeatureKind kind = spec.startsWith("word") ? FeatureKind.WORD : spec.startsWith("char") ? FeatureKind.CHAR : null;
        if (kind == null) {
            throw new IllegalArgumentException("features must be word<N> or char<N>, was '" + text + "'");
        }
        return new FingerprintConfig(kind, Integer.parseInt(spec.substring(4)));
    }
}
