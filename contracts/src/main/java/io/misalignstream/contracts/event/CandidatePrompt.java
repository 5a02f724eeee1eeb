package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Value of {@code prompts.candidates}: an original prompt forwarded by the expander, or a synthetic
 * one it generated for a low-resource domain (its lineage then says how).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CandidatePrompt(int schemaVersion, Prompt prompt, Labels labels) implements PromptEvent {

    public CandidatePrompt {
        Constraints.schemaVersion(schemaVersion);
        Constraints.required(prompt, "prompt");
        Constraints.required(labels, "labels");
    }

    public static CandidatePrompt of(Prompt prompt, Labels labels) {
        return new CandidatePrompt(EventLimits.SCHEMA_VERSION, prompt, labels);
    }
}
