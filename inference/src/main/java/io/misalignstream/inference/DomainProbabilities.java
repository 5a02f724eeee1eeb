package io.misalignstream.inference;

import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.taxonomy.Domain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a dimension's domain probabilities into its label: the primary domain (or {@code none}) and every
 * further domain whose probability reaches delta, as the papers assign several labels.
 */
public final class DomainProbabilities {

    private DomainProbabilities() {
    }

    /**
     * @param scores probabilities of the dimension's named domains (not {@code none}), any order
     * @param none whether nothing of the dimension is at stake; then the primary is {@code none}
     * @param noneProbability the probability of {@code none}, used when {@code none} is the primary
     * @param delta the threshold a further domain's probability must reach
     */
    public static DimensionLabel label(List<DomainScore> scores, boolean none, double noneProbability, double delta) {
        List<DomainScore> ranked = new ArrayList<>(scores);
        ranked.sort(Comparator.comparingDouble(DomainScore::probability).reversed().thenComparing(DomainScore::domain));
        if (none || ranked.isEmpty()) {
            return new DimensionLabel(Domain.NONE, clamp(noneProbability), List.of());
        }
        DomainScore primary = ranked.get(0);
        List<DomainScore> further = ranked.subList(1, ranked.size()).stream()
                .filter(score -> score.probability() >= delta)
                .toList();
        return new DimensionLabel(primary.domain(), clamp(primary.probability()), further);
    }

    private static double clamp(double probability) {
        return Math.max(0.0, Math.min(1.0, probability));
    }
}
