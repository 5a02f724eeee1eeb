package io.misalignstream.inference;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The domains whose norms a response to a prompt is held to: per dimension (safety, value, cultural), the primary
 * domain unless it is {@code none}, then every further domain other than {@code none}, each once.
 */
public final class LabelledDomains {

    private LabelledDomains() {
    }

    /** In dimension order, primary first; empty when every dimension is {@code none}. */
    public static List<Domain> of(Labels labels) {
        Taxonomy taxonomy = Taxonomy.standard();
        List<Domain> domains = new ArrayList<>();
        for (Dimension dimension : Dimension.values()) {
            DimensionLabel label = labels.of(dimension);
            Set<String> ids = new LinkedHashSet<>();
            ids.add(label.primary());
            label.further().stream().map(DomainScore::domain).forEach(ids::add);
            ids.remove(Domain.NONE);
            // Labels checked every id against the taxonomy when they were made
            ids.forEach(id -> domains.add(taxonomy.requireLabel(dimension, id, "labels." + dimension.json())));
        }
        return List.copyOf(domains);
    }
}
