package io.misalignstream.simhash;

/**
 * Makes the {@link Candidate} of a prompt text under one fingerprint configuration: the text normalised
 * once, its SimHash and, from version 2 on, its {@link SetSignature}. Not thread-safe: one instance per thread.
 */
public final class PromptSketcher {

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
        return new Candidate(id, fingerprint, signatures.ofNormalized(normalized), normalized.length());
    }
}
