package io.misalignstream.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.misalignstream.contracts.event.InvalidEventException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * JSON encoding of every record on every topic. Reading never throws anything but
 * {@link InvalidEventException}, whose message is a dead-letter reason: which field, what is wrong.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    private EventCodec() {
    }

    /** The settings every service's ObjectMapper must share so that records read the same everywhere. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    public static String encodeToString(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    public static <T> T decode(byte[] payload, Class<T> type) {
        if (payload == null || payload.length == 0) {
            throw new InvalidEventException("empty payload: a " + type.getSimpleName() + " was expected");
        }
        try {
            T value = MAPPER.readValue(payload, type);
            if (value == null) {
                throw new InvalidEventException("payload is JSON null: a " + type.getSimpleName() + " was expected");
            }
            return value;
        } catch (IOException e) {
            throw new InvalidEventException(reason(e, type), e);
        }
    }

    public static <T> T decode(String payload, Class<T> type) {
        return decode(payload == null ? null : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }

    private static String reason(IOException error, Class<?> type) {
        // A record constructor's own check is the clearest reason: surface it as it is.
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidEventException invalid) {
                return invalid.getMessage();
            }
        }
        String where = error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[") + ": "
                : "";
        if (error instanceof InvalidFormatException format) {
            return where + "'" + format.getValue() + "' cannot be read as " + format.getTargetType().getSimpleName();
        }
        if (error instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return where + "wrong JSON type, " + mismatched.getTargetType().getSimpleName() + " expected";
        }
        String message = error instanceof JsonProcessingException processing ? processing.getOriginalMessage() : error.getMessage();
        return where + "not a valid " + type.getSimpleName() + ": " + message;
    }
}
