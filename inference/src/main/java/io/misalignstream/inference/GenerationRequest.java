package io.misalignstream.inference;

import io.misalignstream.contracts.taxonomy.Domain;
import java.util.List;
import java.util.Objects;

/**
 * One generation slot: a new prompt for {@code domain}, the {@code slot}-th the expander asks for it.
 * {@code examples} are prompts of the domain seen in the stream (few-shot; empty when it has none yet, then
 * the domain's description alone guides the generator). A deterministic generator derives everything from
 * (domain, slot), so asking for the same slot again gives the same prompt.
 */
public record GenerationRequest(Domain domain, long slot, List<String> examples) {

    public GenerationRequest {
        Objects.requireNonNull(domain, "domain");
        if (domain.isNone()) {
            throw new IllegalArgumentException("no prompts are generated for 'none'");
        }
        if (slot < 0) {
            throw new IllegalArgumentException("slot: 0 or more");
        }
        examples = List.copyOf(examples);
    }
}
