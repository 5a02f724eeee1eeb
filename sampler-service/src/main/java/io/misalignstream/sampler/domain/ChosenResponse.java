package io.misalignstream.sampler.domain;

import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.inference.GeneratedResponse;
import java.util.List;

/** The candidate that won its polarity: the response, the judge's verdicts on it, and the attempt it came from. */
public record ChosenResponse(GeneratedResponse response, List<JudgeVerdict> verdicts, double score, int attempts) {

    public ChosenResponse {
        verdicts = List.copyOf(verdicts);
    }
}
