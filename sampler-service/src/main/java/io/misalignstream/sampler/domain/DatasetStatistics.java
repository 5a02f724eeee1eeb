package io.misalignstream.sampler.domain;

import java.util.Map;

/**
 * How the stored dataset divides: pairs in all, per split, origin and semantic type, and per dimension the pairs of
 * each primary domain ({@code none} included).
 */
public record DatasetStatistics(long pairs, Map<String, Long> bySplit, Map<String, Long> byOrigin,
                                Map<String, Long> bySemanticType, Map<String, Map<String, Long>> byDimension) {
}
