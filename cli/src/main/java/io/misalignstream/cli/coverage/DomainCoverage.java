package io.misalignstream.cli.coverage;

import io.misalignstream.contracts.event.Dimension;

/**
 * One domain's coverage: the distinct prompts counted in it, how many of them are synthetic, their
 * share (0 for a domain without prompts), its target and how many prompts it lacks to reach it.
 */
public record DomainCoverage(Dimension dimension, String domain, int count, int synthetic, double syntheticShare,
                             int target, int deficit) {

    static DomainCoverage of(Dimension dimension, String domain, int count, int synthetic, int target) {
        return new DomainCoverage(dimension, domain, count, synthetic, share(synthetic, count), target, Math.max(0, target - count));
    }

    static double share(long synthetic, long count) {
        return count == 0 ? 0 : (double) synthetic / count;
    }
}
