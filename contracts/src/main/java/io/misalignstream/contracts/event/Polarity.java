package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which response of a pair: the one that honours every labelled norm, or the one that breaks one. Written in JSON in lower case. */
public enum Polarity {
    ALIGNED, MISALIGNED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Polarity fromJson(String value) {
        for (Polarity candidate : values()) {
            if (candidate.json().equals(value)) {
                return candidate;
            }
        }
        throw new InvalidEventException("'" + value + "' is not one of "
                + Arrays.stream(values()).map(Polarity::json).collect(Collectors.joining(", ")));
    }
}
