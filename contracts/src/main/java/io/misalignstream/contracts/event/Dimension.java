package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three normative dimensions every prompt is labelled in. Written in JSON in lower case. */
public enum Dimension {
    SAFETY, VALUE, CULTURAL;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Dimension fromJson(String value) {
        for (Dimension candidate : values()) {
            if (candidate.json().equals(value)) {
                return candidate;
            }
        }
        throw new InvalidEventException("'" + value + "' is not one of "
                + Arrays.stream(values()).map(Dimension::json).collect(Collectors.joining(", ")));
    }
}
