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
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // One 4-byte sequence per emoji instead of two 6-byte escapes: keeps records within the size limits.
                .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
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

    private static final java.util.regex.Pattern FIELD_PREFIX = java.util.regex.Pattern.compile("^([A-Za-z][\\w.\\[\\]]*): ");

    private static String reason(IOException error, Class<?> type) {
        String path = error instanceof JsonMappingException mapping ? path(mapping) : "";
        // A record constructor's own check is the clearest reason; Jackson's path tells where the record sits.
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidEventException invalid) {
                return locate(path, invalid.getMessage());
            }
        }
        String where = path.isEmpty() ? "" : path + ": ";
        String original = error instanceof JsonProcessingException processing ? processing.getOriginalMessage() : error.getMessage();
        if (original != null && original.startsWith("Cannot map `null`")) {
            return where + "is required";
        }
        if (error instanceof InvalidFormatException format) {
            return where + "'" + format.getValue() + "' cannot be read as " + format.getTargetType().getSimpleName();
        }
        if (error instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
                && !path.isEmpty()) {
            return where + "wrong JSON type, " + mismatched.getTargetType().getSimpleName() + " expected";
        }
        return where + "not a valid " + type.getSimpleName() + ": " + original;
    }

    private static String path(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /**
     * Puts the record's position in front of a constructor's message: a nested record names its fields
     * relative to itself ("probability: ..."), the path says which one it was ("labels.cultural").
     */
    static String locate(String path, String message) {
        if (path.isEmpty()) {
            return message;
        }
        java.util.regex.Matcher field = FIELD_PREFIX.matcher(message);
        if (!field.find()) {
            return path + ": " + message;
        }
        String first = field.group(1).split("[.\\[]")[0];
        String last = path.substring(path.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        if (first.equals(last)) {
            int dot = path.lastIndexOf('.');
            return dot < 0 ? message : path.substring(0, dot) + "." + message;
        }
        return path + "." + message;
    }
}
