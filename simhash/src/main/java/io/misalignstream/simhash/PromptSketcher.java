package io.misalignstream.simhash;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * Makes the {@link Candidate} of a prompt text under one fingerprint configuration: the text normalised
 * once, its SimHash and, from version 2 on, its {@link SetSignature} and the XXH3-64 digest of the exact text.
 * Not thread-safe: one instance per thread.
 */
public final class PromptSketcher {

    private static final Hasher64 DIGEST = Hashing.xxh3_64();

    private final FingerprintConfig features;
    private final SimHasher hasher;
    private final SetSignature signatures;

    public PromptSketcher(FingerprintConfig features) {
        this.features = features;
        this.hasher = new SimHasher(features);
        this.signatures = features.verified() ? new SetSignature() : null;
    }

    public FingerprintConfig features() {
        return features;
    }

    public Candidate candidate(String id, String text) {
        String normalized = SimHasher.normalizedForFeatures(text);
        long fingerprint = hasher.fingerprintOfNormalized(normalized);
        if (signatures == null) {
            return new Candidate(id, fingerprint);
        }
        return new Candidate(id, fingerprint, signatures.ofNormalized(normalized), normalized.length(), textDigest(text));
    }

    /** The digest an id is bound to: of the exact text, so that any change to it is another text. Never 0. */
    public static long textDigest(String text) {
        long digest = DIGEST.hashCharsToLong(text);
        return digest == 0 ? 1 : digest;
    }
}
