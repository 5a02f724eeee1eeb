package io.misalignstream.evaluation.benchmark;

import java.util.List;
import java.util.Optional;

/**
 * The metrics of a run, one entry per target in alphabetical order.
 *
 * @param targets what the run measured of each target
 */
public record RunReport(List<TargetMetrics> targets) {

    public RunReport {
        targets = List.copyOf(targets);
    }

    public Optional<TargetMetrics> target(String name) {
        return targets.stream().filter(metrics -> metrics.target().equals(name)).findFirst();
    }
}
