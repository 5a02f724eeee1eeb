package io.misalignstream.inference;

import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import java.util.Objects;

/** A generated response text with who made it (backend, model, template version) and the sampling it was made with. */
public record GeneratedResponse(String text, Provenance provenance, SamplingParameters sampling) {

    public GeneratedResponse {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text: must not be blank");
        }
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(sampling, "sampling");
    }
}
