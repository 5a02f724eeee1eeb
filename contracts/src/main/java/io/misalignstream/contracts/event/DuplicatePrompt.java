package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Value of {@code prompts.duplicates}: a candidate rejected as a near-duplicate, with the stored
 * prompt it matched, that prompt's fingerprint and their Hamming distance under the threshold in force.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DuplicatePrompt(int schemaVersion, Prompt prompt, Labels labels, Fingerprint fingerprint,
                              String matchedPromptId, Fingerprint matchedFingerprint,
                              int hammingDistance, int threshold) implements PromptEvent {

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
    }
}
