package io.misalignstream.simhash;

/** A prompt to decide on: its id and fingerprint. */
public record Candidate(String id, long fingerprint) {
}
