package io.misalignstream.simhash;

/** The outcome for one candidate prompt. */
public sealed interface Decision {

    String id();

    long fingerprint();

    /** Not within k bits of any accepted prompt: accepted, and now in the index. */
    record Unique(String id, long fingerprint) implements Decision {
    }

    /** Within k bits of an accepted prompt: the nearest one (smallest distance, then smallest id). */
    record Duplicate(String id, long fingerprint, String matchedId, long matchedFingerprint, int distance) implements Decision {
    }
}
