package io.misalignstream.evaluation.benchmark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts the verdicts of a benchmark run as they arrive and turns them into metrics per target and slice. Each
 * verdict counts in the confusion table of its (target, slice, repeat): the whole run; each dimension the pair is
 * labelled in (primary domain not {@code none}) and that dimension's domain; its semantic type; its origin; and
 * the single- or multi-dimension slice.
 * <p>
 * Every observation counts: the caller records each (target, pair, polarity, repeat) once. A target's repeats
 * are the repeat indices seen for it anywhere; a slice with no verdicts in one of them gets an empty table, hence
 * undefined metrics, for that repeat. Not thread-safe.
 */
public final class RunTally {

    private final Map<String, TargetTally> targets = new TreeMap<>();

    public void record(VerdictObservation observation) {
        targets.computeIfAbsent(observation.target(), target -> new TargetTally()).record(observation);
    }

    /** The metrics of the verdicts recorded so far; the tally can go on counting afterwards. */
    public RunReport report() {
        List<TargetMetrics> reports = new ArrayList<>(targets.size());
        targets.forEach((target, tally) -> reports.add(tally.report(target)));
        return new RunReport(reports);
    }

    private static final class TargetTally {

        private final SortedSet<Integer> repeats = new TreeSet<>();
        private final Map<Slice, Map<Integer, ConfusionCounts>> counts = new HashMap<>();

        void record(VerdictObservation observation) {
            repeats.add(observation.repeat());
            for (Slice slice : observation.labels().slices()) {
                counts.computeIfAbsent(slice, key -> new HashMap<>()).compute(observation.repeat(),
                        (repeat, sofar) -> (sofar == null ? ConfusionCounts.empty() : sofar)
                                .add(observation.polarity(), observation.verdict()));
            }
        }

        TargetMetrics report(String target) {
            Map<Slice, RepeatedMetrics> slices = new TreeMap<>();
            counts.forEach((slice, byRepeat) -> slices.put(slice, RepeatedMetrics.of(
                    repeats.stream().map(repeat -> byRepeat.getOrDefault(repeat, ConfusionCounts.empty())).toList())));
            return new TargetMetrics(target, repeats.size(), slices, TradeOff.of(slices));
        }
    }
}
