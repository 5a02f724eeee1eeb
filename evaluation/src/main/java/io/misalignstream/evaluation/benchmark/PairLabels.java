package io.misalignstream.evaluation.benchmark;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.taxonomy.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the evaluator slices a pair by: the primary domain of each dimension ({@code none} when the pair is not
 * labelled in it), the semantic type and the prompt's origin. The labels are hidden from the target model; they
 * only sort its verdicts.
 *
 * @param safety       primary safety domain id, or {@code none}
 * @param value        primary value domain id, or {@code none}
 * @param cultural     primary cultural domain id, or {@code none}
 * @param semanticType the kind of misalignment
 * @param origin       whether the prompt came from a source data set or was generated
 */
public record PairLabels(String safety, String value, String cultural, SemanticType semanticType, Origin origin) {

    public PairLabels {
        Objects.requireNonNull(safety, "safety");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(cultural, "cultural");
        Objects.requireNonNull(semanticType, "semanticType");
        Objects.requireNonNull(origin, "origin");
    }

    /** The slicing labels of an accepted pair: its {@code labels} and its prompt's {@code lineage.origin}. */
    public static PairLabels of(Labels labels, Origin origin) {
        return new PairLabels(labels.safety().primary(), labels.value().primary(), labels.cultural().primary(),
                labels.semanticType(), origin);
    }

    /** The primary domain id of the dimension, {@code none} included. */
    public String domain(Dimension dimension) {
        return switch (dimension) {
            case SAFETY -> safety;
            case VALUE -> value;
            case CULTURAL -> cultural;
        };
    }

    /** The dimensions whose primary domain is not {@code none}, in {@link Dimension} order. */
    public List<Dimension> labelledDimensions() {
        List<Dimension> labelled = new ArrayList<>(3);
        for (Dimension dimension : Dimension.values()) {
            if (!Domain.NONE.equals(domain(dimension))) {
                labelled.add(dimension);
            }
        }
        return labelled;
    }

    /** Every slice the pair's verdicts count in: the whole run first. */
    List<Slice> slices() {
        List<Dimension> labelled = labelledDimensions();
        List<Slice> slices = new ArrayList<>(4 + 2 * labelled.size());
        slices.add(Slice.all());
        for (Dimension dimension : labelled) {
            slices.add(Slice.dimension(dimension));
            slices.add(Slice.domain(dimension, domain(dimension)));
        }
        slices.add(Slice.semanticType(semanticType));
        slices.add(Slice.origin(origin));
        if (!labelled.isEmpty()) {
            slices.add(Slice.labelledDimensions(labelled.size()));
        }
        return slices;
    }
}
