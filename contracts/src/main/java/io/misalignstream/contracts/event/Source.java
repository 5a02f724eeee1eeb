package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where an original prompt was read: the data set (file name or data set name) and its 1-based
 * record number there; {@code row} is absent for prompts that arrive without one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Source(String dataset, Long row) {

    public Source {
        Constraints.text(dataset, "source.dataset", EventLimits.MAX_NAME_CHARS);
        if (row != null && row < 1) {
            throw new InvalidEventException("source.row: " + row + " is not a 1-based record number");
        }
    }
}
