package io.misalignstream.simhash;

/**
 * A prompt to decide on: its id, fingerprint and, for a verified rule, its {@link SetSignature}, the length of
 * its normalised text, which sets its search radius ({@link DuplicateRule#radius}), and a digest of its exact
 * text, which binds the id to the text it was first decided for (0: not known, not checked).
 */
public record Candidate(String id, long fingerprint, byte[] signature, int normalizedLength, long textDigest) {

    /** Decided by the Hamming threshold alone (fingerprint version 1). */
    public Candidate(String id, long fingerprint) {
        this(id, fingerprint, null, Integer.MAX_VALUE, 0);
    }

    /** Verified, with no text digest. */
    public Candidate(String id, long fingerprint, byte[] signature, int normalizedLength) {
        this(id, fingerprint, signature, normalizedLength, 0);
    }

    public Candidate {
        if (signature != null && signature.length != SetSignature.BYTES) {
            throw new IllegalArgumentException("a signature has " + SetSignature.BYTES + " bytes, not " + signature.length);
        }
    }
}
