package io.misalignstream.simhash;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.util.List;

/**
 * Names the index a prompt is checked against: the index name alone for the global scope, the name
 * with the prompt's primary domain (for example {@code prompts/safety.privacy_violation}) per domain.
 * The name is the Redis hash tag of that index's keys.
 */
public record DedupScope(String indexName, ScopeKind kind, Dimension dimension) {

    public DedupScope {
        if (indexName == null || indexName.isBlank() || indexName.contains("{") || indexName.contains("}")) {
            throw new IllegalArgumentException("index name must be non-blank without braces, was '" + indexName + "'");
        }
    }

    public String of(Labels labels) {
        return kind == ScopeKind.GLOBAL ? indexName : named(labels.of(dimension).primary());
    }

    /** Every scope this configuration can use: the global one, or one per domain of the dimension, none included. */
    public List<String> all() {
        return kind == ScopeKind.GLOBAL ? List.of(indexName)
                : Taxonomy.standard().domains(dimension).stream().map(domain -> named(domain.id())).toList();
    }

    private String named(String domainId) {
        return indexName + "/" + dimension.json() + "." + domainId;
    }
}
