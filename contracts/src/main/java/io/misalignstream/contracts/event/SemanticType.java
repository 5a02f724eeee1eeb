package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three orthogonal kinds of misalignment (MisAlign-Profile). Written in JSON in lower case. */
public enum SemanticType {
    OBJECT, ATTRIBUTE, RELATION;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SemanticType fromJson(String value) {
        for (SemanticType candidate : values()) {
            if (candidate.json().equals(value)) {
                return candidate;
            }
        }
        throw new InvalidEventException("'" + value + "' is not one of "
                + Arrays.stream(values()).map(SemanticType::json).collect(Collectors.joining(", ")));
    }
}
