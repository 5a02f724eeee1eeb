package io.misalignstream.inference;

import io.misalignstream.contracts.event.Verdict;
import java.util.Objects;

/**
 * A target model's verdict on one response, with its answer as given (cut to {@link #MAX_ANSWER_CHARS}) so that an
 * invalid one can be read later; {@code cached} when it came from the request cache instead of the endpoint.
 */
public record TargetAnswer(Verdict verdict, String answer, boolean cached) {

    public static final int MAX_ANSWER_CHARS = 2_000;

    public TargetAnswer {
        Objects.requireNonNull(verdict, "verdict");
        answer = answer == null ? "" : answer.length() > MAX_ANSWER_CHARS ? answer.substring(0, MAX_ANSWER_CHARS) : answer;
    }
}
