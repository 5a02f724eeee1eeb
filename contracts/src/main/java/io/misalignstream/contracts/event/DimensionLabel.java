package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.misalignstream.contracts.taxonomy.Domain;
import java.util.List;

/**
 * The label of one dimension: the primary domain ({@code none} when nothing of the dimension is at
 * stake) with its probability, and every further domain whose probability reached the threshold delta.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DimensionLabel(String primary, double probability, List<DomainScore> further) {

    public DimensionLabel {
        Constraints.required(primary, "primary");
        Constraints.probability(probability, "probability");
        further = Constraints.list(further, "further", 200);
    }

    public static DimensionLabel none(double probability) {
        return new DimensionLabel(Domain.NONE, probability, List.of());
    }

    @JsonIgnore
    public boolean isNone() {
        return Domain.NONE.equals(primary);
    }
}
