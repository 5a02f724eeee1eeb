package io.misalignstream.inference;

import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import java.util.Objects;

/**
 * A generated prompt text with who made it and how.
 *
 * @param templateGenerated true when a template composed it rather than a language model wrote it
 */
public record GeneratedPrompt(String text, Provenance provenance, SamplingParameters sampling, boolean templateGenerated) {

    public GeneratedPrompt {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text: must not be blank");
        }
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(sampling, "sampling");
    }
}
