package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * A prompt as it travels through the pipeline. {@code metadata} is free-form (demographics of the
 * source, rater data, anything the user ingested with it) and is carried through every stage untouched.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Prompt(String id, String text, Lineage lineage, Map<String, Object> metadata) {

    public Prompt {
        Constraints.id(id, "prompt.id");
        Constraints.text(text, "prompt.text", EventLimits.MAX_PROMPT_CHARS);
        Constraints.required(lineage, "prompt.lineage");
        metadata = Constraints.metadata(metadata, "prompt.metadata");
    }
}
