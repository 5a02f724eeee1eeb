package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/** Value of {@code pairs.rejected}: a unique prompt for which no acceptable pair was found, with the reasons per polarity. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RejectedPair(int schemaVersion, Prompt prompt, Labels labels, List<PolarityRejection> rejections,
                           Instant rejectedAt) implements PromptEvent {

    public RejectedPair {
        Constraints.schemaVersion(schemaVersion);
        Constraints.required(prompt, "prompt");
        Constraints.required(labels, "labels");
        rejections = Constraints.list(rejections, "rejections", 2);
        if (rejections.isEmpty()) {
            throw new InvalidEventException("rejections: at least one polarity must be rejected");
        }
        if (rejections.stream().map(PolarityRejection::polarity).distinct().count() != rejections.size()) {
            throw new InvalidEventException("rejections: a polarity is listed twice");
        }
        Constraints.required(rejectedAt, "rejectedAt");
    }
}
