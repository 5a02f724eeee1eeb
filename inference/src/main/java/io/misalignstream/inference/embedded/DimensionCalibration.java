package io.misalignstream.inference.embedded;

/**
 * Turns a prompt's similarities to one dimension's prototypes into probabilities. A domain's probability is
 * {@code sigmoid(weight * s_domain + noneWeight * s_none + bias)}, where {@code s} is the cosine similarity
 * to the domain's and to {@code none}'s prototypes; the dimension is {@code none} when no domain reaches
 * {@code noneThreshold}. The numbers are fitted on the tuning half of the labelled set.
 */
public record DimensionCalibration(double weight, double noneWeight, double bias, double noneThreshold) {

    public DimensionCalibration {
        if (!(noneThreshold > 0 && noneThreshold < 1)) {
            throw new IllegalArgumentException("noneThreshold: between 0 and 1, got " + noneThreshold);
        }
    }

    double probability(double similarity, double noneSimilarity) {
        return 1.0 / (1.0 + Math.exp(-(weight * similarity + noneWeight * noneSimilarity + bias)));
    }
}
