package io.misalignstream.contracts.event;

import io.misalignstream.contracts.EventCodec;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Field checks shared by the records' constructors; each failure names the field. */
final class Constraints {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    private Constraints() {
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidEventException(field + ": is required");
        }
        return value;
    }

    static String text(String value, String field, int maxChars) {
        required(value, field);
        if (value.isBlank()) {
            throw new InvalidEventException(field + ": must not be blank");
        }
        if (value.length() > maxChars) {
            throw new InvalidEventException(field + ": " + value.length() + " characters, more than the limit of " + maxChars);
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new InvalidEventException(field + ": contains a NUL character");
        }
        encodable(value, field);
        return value;
    }

    static String optionalText(String value, String field, int maxChars) {
        return value == null ? null : text(value, field, maxChars);
    }

    static String id(String value, String field) {
        text(value, field, EventLimits.MAX_ID_CHARS);
        if (!ID.matcher(value).matches()) {
            throw new InvalidEventException(field + ": '" + value + "' is not an id (letters, digits and . _ : - only)");
        }
        return value;
    }

    static int schemaVersion(int version) {
        if (version < 1) {
            throw new InvalidEventException("schemaVersion: is required and must be at least 1");
        }
        if (version > EventLimits.SCHEMA_VERSION) {
            throw new InvalidEventException("schemaVersion: " + version + " is newer than this reader's "
                    + EventLimits.SCHEMA_VERSION + "; upgrade the consumer");
        }
        return version;
    }

    static double probability(double value, String field) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new InvalidEventException(field + ": " + value + " is not a probability in [0, 1]");
        }
        return value;
    }

    static <T> List<T> list(List<T> values, String field, int maxSize) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > maxSize) {
            throw new InvalidEventException(field + ": " + values.size() + " entries, more than the limit of " + maxSize);
        }
        for (int i = 0; i < values.size(); i++) {
            required(values.get(i), field + "[" + i + "]");
        }
        return List.copyOf(values);
    }

    /** Free-form metadata is carried untouched, within limits that keep records small. */
    static Map<String, Object> metadata(Map<String, Object> metadata, String field) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > EventLimits.MAX_METADATA_ENTRIES) {
            throw new InvalidEventException(field + ": " + metadata.size() + " entries, more than the limit of "
                    + EventLimits.MAX_METADATA_ENTRIES);
        }
        checkShape(metadata, field, 1);
        int bytes = EventCodec.encode(metadata).length;
        if (bytes > EventLimits.MAX_METADATA_BYTES) {
            throw new InvalidEventException(field + ": " + bytes + " bytes as JSON, more than the limit of "
                    + EventLimits.MAX_METADATA_BYTES);
        }
        // Unmodifiable but order-preserving: a copy via Map.copyOf would reorder the caller's columns.
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** Depth and keys; the size is weighed as encoded. */
    private static void checkShape(Object value, String field, int depth) {
        if (depth > EventLimits.MAX_METADATA_DEPTH) {
            throw new InvalidEventException(field + ": nested deeper than " + EventLimits.MAX_METADATA_DEPTH + " levels");
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (key.isEmpty() || key.length() > EventLimits.MAX_METADATA_KEY_CHARS) {
                    throw new InvalidEventException(field + ": key '" + abbreviate(key) + "' must have 1 to "
                            + EventLimits.MAX_METADATA_KEY_CHARS + " characters");
                }
                encodable(key, field + " key");
                checkShape(entry.getValue(), field + "." + key, depth + 1);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                checkShape(element, field, depth + 1);
            }
        } else if (value instanceof String text) {
            encodable(text, field);
        }
    }

    /** An unpaired surrogate would be changed on the way: UTF-8 cannot encode it. */
    private static void encodable(String text, String field) {
        int unpaired = EncodableText.unpairedSurrogate(text);
        if (unpaired >= 0) {
            throw new InvalidEventException(String.format("%s: an unpaired surrogate U+%04X at index %d, which UTF-8 cannot encode",
                    field, (int) text.charAt(unpaired), unpaired));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
