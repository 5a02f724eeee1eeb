package io.misalignstream.inference;

import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Polarity;
import java.util.List;
import java.util.Objects;

/**
 * One response to write: a response of {@code polarity} to {@code prompt}, which is labelled with {@code labels}.
 * {@code candidate} numbers the candidates the sampler asks for across its attempts (0-based; the sampler folds the
 * attempt into it), so that each candidate samples differently yet the same candidate samples the same way again.
 * {@code feedback} holds the judge's rationales on the rejected candidates of the previous attempt, empty on the first.
 */
public record ResponseRequest(String prompt, Labels labels, Polarity polarity, int candidate, List<String> feedback) {

    public ResponseRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(polarity, "polarity");
        if (candidate < 0) {
            throw new IllegalArgumentException("candidate: 0 or more");
        }
        feedback = List.copyOf(Objects.requireNonNull(feedback, "feedback"));
    }
}
