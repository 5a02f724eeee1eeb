package io.misalignstream.simhash;

/**
 * A prompt to decide on: its id, fingerprint and, for a verified rule, its {@link SetSignature} and the length
 * of its normalised text, which sets its search radius ({@link DuplicateRule#radius}).
 */
public record Candidate(String id, long fingerprint, byte[] signature, int normalizedLength) {

    /** Decided by the Hamming threshold alone (fingerprint version 1). */
    public Candidate(String id, long fingerprint) {
        this(id, fingerprint, null, Integer.MAX_VALUE);
    }

    public Candidate {
        if (signature != null && signature.length != SetSignature.BYTES) {
            throw new IllegalArgumentException("a signature has " + SetSignature.BYTES + " bytes, not " + signature.length);
        }
    }
}
