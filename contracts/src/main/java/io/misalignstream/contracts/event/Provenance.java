package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Which backend ({@code openai}, {@code embedded}, ...), model and prompt-template version produced a
 * label, a text or a verdict. Every such field of every record carries one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(String backend, String model, String templateVersion) {

    public Provenance {
        Constraints.text(backend, "provenance.backend", EventLimits.MAX_NAME_CHARS);
        Constraints.text(model, "provenance.model", EventLimits.MAX_NAME_CHARS);
        Constraints.text(templateVersion, "provenance.templateVersion", EventLimits.MAX_NAME_CHARS);
    }
}
