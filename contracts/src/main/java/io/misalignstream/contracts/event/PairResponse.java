package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One side of a pair: the accepted text, who generated it, after how many attempts, and the judge's verdicts. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PairResponse(String text, Provenance generatedBy, SamplingParameters sampling, int attempts,
                           List<JudgeVerdict> verdicts) {

    public PairResponse {
        Constraints.text(text, "response.text", EventLimits.MAX_RESPONSE_CHARS);
        Constraints.required(generatedBy, "response.generatedBy");
        if (attempts < 1) {
            throw new InvalidEventException("response.attempts: must be at least 1");
        }
        verdicts = Constraints.list(verdicts, "response.verdicts", EventLimits.MAX_VERDICTS);
    }
}
