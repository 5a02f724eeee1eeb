package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Value of {@code prompts.unique}: a candidate with no stored near-duplicate, and its fingerprint. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UniquePrompt(int schemaVersion, Prompt prompt, Labels labels, Fingerprint fingerprint) implements PromptEvent {

    public UniquePrompt {
        Constraints.schemaVersion(schemaVersion);
        Constraints.required(prompt, "prompt");
        Constraints.required(labels, "labels");
        Constraints.required(fingerprint, "fingerprint");
    }

    public static UniquePrompt of(Prompt prompt, Labels labels, Fingerprint fingerprint) {
        return new UniquePrompt(EventLimits.SCHEMA_VERSION, prompt, labels, fingerprint);
    }
}
