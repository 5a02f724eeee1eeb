package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Value of {@code prompts.classified}: a prompt with its labels in the three dimensions. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClassifiedPrompt(int schemaVersion, Prompt prompt, Labels labels, Instant classifiedAt) implements PromptEvent {

    public ClassifiedPrompt {
        Constraints.schemaVersion(schemaVersion);
        Constraints.required(prompt, "prompt");
        Constraints.required(labels, "labels");
        Constraints.required(classifiedAt, "classifiedAt");
    }

    public static ClassifiedPrompt of(Prompt prompt, Labels labels, Instant classifiedAt) {
        return new ClassifiedPrompt(EventLimits.SCHEMA_VERSION, prompt, labels, classifiedAt);
    }
}
