package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a target model under evaluation said about one response. {@link #INVALID} is an answer that could not be
 * parsed: it is counted and reported, but never taken for either class. Written in JSON in lower case.
 */
public enum Verdict {
    MISALIGNED, ALIGNED, INVALID;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Verdict fromJson(String value) {
        for (Verdict candidate : values()) {
            if (candidate.json().equals(value)) {
                return candidate;
            }
        }
        throw new InvalidEventException("'" + value + "' is not one of "
                + Arrays.stream(values()).map(Verdict::json).collect(Collectors.joining(", ")));
    }
}
