package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** Value of {@code pairs.accepted}: a unique prompt with its aligned and misaligned responses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AcceptedPair(int schemaVersion, Prompt prompt, Labels labels, PairResponse aligned,
                           PairResponse misaligned, Split split, Instant acceptedAt) implements PromptEvent {

    public AcceptedPair {
        Constraints.schemaVersion(schemaVersion);
        Constraints.required(prompt, "prompt");
        Constraints.required(labels, "labels");
        Constraints.required(aligned, "aligned");
        Constraints.required(misaligned, "misaligned");
        Constraints.required(split, "split");
        Constraints.required(acceptedAt, "acceptedAt");
    }
}
