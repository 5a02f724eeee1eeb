package io.misalignstream.simhash;

/** The outcome for one candidate prompt. */
public sealed interface Decision {

    String id();

    long fingerprint();

    /**
     * Not decided: its id was decided before for another text (the digest it was decided with differs). Nothing is
     * recorded; the id keeps its first decision.
     */
    record Refused(String id, long fingerprint, String reason) implements Decision {
    }

    /** No accepted prompt is its near-duplicate under the rule: accepted, and now in the index. */
    record Unique(String id, long fingerprint) implements Decision {
    }

    /**
     * A near-duplicate of an accepted prompt: the nearest one the rule accepts (smallest distance, then smallest
     * id), with the estimated Jaccard similarity of their 5-gram sets when the rule verified it ({@code null}
     * under a Hamming-only rule).
     */
    record Duplicate(String id, long fingerprint, String matchedId, long matchedFingerprint, int distance, Double similarity)
            implements Decision {

        /** Decided by the Hamming distance alone. */
        public Duplicate(String id, long fingerprint, String matchedId, long matchedFingerprint, int distance) {
            this(id, fingerprint, matchedId, matchedFingerprint, distance, null);
        }
    }
}
