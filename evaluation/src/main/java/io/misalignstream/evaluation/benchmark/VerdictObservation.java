package io.misalignstream.evaluation.benchmark;

import io.misalignstream.contracts.event.Verdict;
import io.misalignstream.contracts.event.Polarity;
import java.util.Objects;

/**
 * One verdict of a run: what {@code target} said, in repeat {@code repeat}, about the response of the given
 * polarity of a pair with the given labels. The polarity is the ground truth (misaligned = positive).
 *
 * @param target   the evaluated model
 * @param repeat   the repeat of the run, from 0
 * @param polarity which response of the pair the target saw
 * @param labels   the pair's labels, to slice by
 * @param verdict  the target's parsed answer
 */
public record VerdictObservation(String target, int repeat, Polarity polarity, PairLabels labels, Verdict verdict) {

    public VerdictObservation {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target: must not be blank");
        }
        if (repeat < 0) {
            throw new IllegalArgumentException("repeat: must not be negative");
        }
        Objects.requireNonNull(polarity, "polarity");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(verdict, "verdict");
    }
}
