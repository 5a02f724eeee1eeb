package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Why no acceptable response of one polarity was found after every attempt. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolarityRejection(Polarity polarity, int attempts, List<String> reasons) {

    public PolarityRejection {
        Constraints.required(polarity, "rejection.polarity");
        reasons = Constraints.list(reasons, "rejection.reasons", 64);
        if (reasons.isEmpty()) {
            throw new InvalidEventException("rejection.reasons: at least one reason is required");
        }
    }
}
