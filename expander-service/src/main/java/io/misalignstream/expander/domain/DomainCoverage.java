package io.misalignstream.expander.domain;

/**
 * Where one domain stands: distinct prompts counted (originals seen plus synthetic ones kept), its target,
 * slots generated so far (its budget's use, dropped ones included) and slots dropped by verification.
 */
public record DomainCoverage(DomainKey key, long count, int target, long generated, long dropped, long inFlight) {

    public long deficit() {
        return Math.max(0, target - count);
    }
}
