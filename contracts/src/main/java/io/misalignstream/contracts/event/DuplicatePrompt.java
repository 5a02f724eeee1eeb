package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Value of {@code prompts.duplicates}: a candidate rejected as a near-duplicate, with the stored
 * prompt it matched, that prompt's fingerprint, their Hamming distance under the radius in force and, for
 * fingerprints from version 2 on, the estimated similarity of the two texts that verified the match and the
 * least similarity the rule asked for.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DuplicatePrompt(int schemaVersion, Prompt prompt, Labels labels, Fingerprint fingerprint,
                              String matchedPromptId, Fingerprint matchedFingerprint,
                              int hammingDistance, int threshold, Double similarity, Double minSimilarity) implements PromptEvent {

    /** A decision by Hamming distance alone (fingerprint version 1). */
    public DuplicatePrompt(int schemaVersion, Prompt prompt, Labels labels, Fingerprint fingerprint, String matchedPromptId,
                           Fingerprint matchedFingerprint, int hammingDistance, int threshold) {
        this(schemaVersion, prompt, labels, fingerprint, matchedPromptId, matchedFingerprint, hammingDistance, threshold, null, null);
    }

    public DuplicatePrompt {
        Constraints.schemaVersion(schemaVersion);
        Constraints.required(prompt, "prompt");
        Constraints.required(labels, "labels");
        Constraints.required(fingerprint, "fingerprint");
        Constraints.id(matchedPromptId, "matchedPromptId");
        Constraints.required(matchedFingerprint, "matchedFingerprint");
        if (!fingerprint.version().equals(matchedFingerprint.version())) {
            throw new InvalidEventException("matchedFingerprint.version: '" + matchedFingerprint.version()
                    + "' differs from the fingerprint's '" + fingerprint.version() + "'; only same-version fingerprints compare");
        }
        if (threshold < 0 || threshold > 64) {
            throw new InvalidEventException("threshold: " + threshold + " is not a Hamming distance in [0, 64]");
        }
        if (hammingDistance < 0 || hammingDistance > threshold) {
            throw new InvalidEventException("hammingDistance: " + hammingDistance + " is not within the threshold " + threshold);
        }
        if ((similarity == null) != (minSimilarity == null)) {
            throw new InvalidEventException("similarity and minSimilarity: both or neither");
        }
        if (similarity != null && !(similarity >= 0 && similarity <= 1 && minSimilarity > 0 && minSimilarity <= 1)) {
            throw new InvalidEventException("similarity " + similarity + " and minSimilarity " + minSimilarity
                    + ": a similarity is in [0, 1], its minimum in (0, 1]");
        }
    }
}
