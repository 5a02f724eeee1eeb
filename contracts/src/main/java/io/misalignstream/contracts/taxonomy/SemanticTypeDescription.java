package io.misalignstream.contracts.taxonomy;

import io.misalignstream.contracts.event.SemanticType;

/** A semantic type of misalignment with the description used in prompts and by the embedding classifier. */
public record SemanticTypeDescription(SemanticType type, String name, String description) {
}
