package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.misalignstream.contracts.EventCodec;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

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

    /**
     * Why this prompt may not be ingested, or empty: as a record it is over {@link EventLimits#MAX_INGESTED_BYTES}
     * (escapes can make a record several times its text), and what the stages add could not be published.
     */
    public Optional<String> sizeProblem() {
        int bytes = EventCodec.encode(this).length;
        return bytes <= EventLimits.MAX_INGESTED_BYTES ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
                "a record of %,d bytes as JSON, more than the limit of %,d", bytes, EventLimits.MAX_INGESTED_BYTES));
    }
}
