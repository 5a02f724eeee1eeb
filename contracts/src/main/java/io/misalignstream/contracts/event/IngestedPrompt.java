package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Value of {@code prompts.ingested}: a raw prompt, before any label. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IngestedPrompt(int schemaVersion, Prompt prompt, Instant ingestedAt) implements PromptEvent {

    public IngestedPrompt {
        Constraints.schemaVersion(schemaVersion);
        Constraints.required(prompt, "prompt");
        Constraints.required(ingestedAt, "ingestedAt");
    }

    public static IngestedPrompt of(Prompt prompt, Instant ingestedAt) {
        return new IngestedPrompt(EventLimits.SCHEMA_VERSION, prompt, ingestedAt);
    }
}
