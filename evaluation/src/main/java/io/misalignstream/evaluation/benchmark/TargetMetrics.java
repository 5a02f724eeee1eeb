package io.misalignstream.evaluation.benchmark;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a run measured of one target: its metrics over every slice it has verdicts in, in report order
 * ({@link Slice#compareTo}), and its trade-offs.
 *
 * @param target   the evaluated model
 * @param repeats  the number of repeats the target's verdicts came in
 * @param slices   the metrics per slice, the whole run first
 * @param tradeOff the misalignment trade-offs read off the slices
 */
public record TargetMetrics(String target, int repeats, Map<Slice, RepeatedMetrics> slices, TradeOff tradeOff) {

    public TargetMetrics {
        slices = Collections.unmodifiableMap(new LinkedHashMap<>(slices));
    }

    /** The metrics over all of the target's verdicts. */
    public RepeatedMetrics overall() {
        return slices.get(Slice.all());
    }

    public Optional<RepeatedMetrics> slice(Slice slice) {
        return Optional.ofNullable(slices.get(slice));
    }
}
