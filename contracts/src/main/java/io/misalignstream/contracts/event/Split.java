package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Data set split of a pair, from a stable hash of its prompt id (80 / 10 / 10). Written in JSON in lower case. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Split fromJson(String value) {
        for (Split candidate : values()) {
            if (candidate.json().equals(value)) {
                return candidate;
            }
        }
        throw new InvalidEventException("'" + value + "' is not one of "
                + Arrays.stream(values()).map(Split::json).collect(Collectors.joining(", ")));
    }
}
