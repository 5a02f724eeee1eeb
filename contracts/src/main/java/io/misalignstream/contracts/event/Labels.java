package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt's labels in all three dimensions plus its semantic type, and who produced them. Every
 * domain id must exist in the taxonomy of its dimension.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Labels(DimensionLabel safety, DimensionLabel value, DimensionLabel cultural,
                     SemanticType semanticType, Provenance provenance) {

    public Labels {
        check(Dimension.SAFETY, safety);
        check(Dimension.VALUE, value);
        check(Dimension.CULTURAL, cultural);
        Constraints.required(semanticType, "labels.semanticType");
        Constraints.required(provenance, "labels.provenance");
    }

    private static void check(Dimension dimension, DimensionLabel label) {
        String field = "labels." + dimension.json();
        Constraints.required(label, field);
        Taxonomy taxonomy = Taxonomy.standard();
        taxonomy.requireLabel(dimension, label.primary(), field + ".primary");
        for (int i = 0; i < label.further().size(); i++) {
            taxonomy.requireLabel(dimension, label.further().get(i).domain(), field + ".further[" + i + "].domain");
        }
    }

    public DimensionLabel of(Dimension dimension) {
        return switch (dimension) {
            case SAFETY -> safety;
            case VALUE -> value;
            case CULTURAL -> cultural;
        };
    }

    /** The dimensions whose primary label is not {@code none}. */
    @JsonIgnore
    public List<Dimension> labelledDimensions() {
        List<Dimension> labelled = new ArrayList<>();
        for (Dimension dimension : Dimension.values()) {
            if (!of(dimension).isNone()) {
                labelled.add(dimension);
            }
        }
        return labelled;
    }
}
