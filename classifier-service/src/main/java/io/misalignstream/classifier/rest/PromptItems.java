package io.misalignstream.classifier.rest;

import io.misalignstream.contracts.PromptIds;
import io.misalignstream.contracts.event.EventLimits;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.classifier.domain.PromptCheck;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one submitted prompt object, {@code {"id", "text", "dataset", "row", "metadata"}}, into a {@link Prompt},
 * or into every field error it has. The contracts' record constructors do the checking, so a prompt refused here
 * is exactly one that could not travel on {@code prompts.ingested}, and their messages name the field. Beyond
 * them: the text's size in UTF-8 bytes ({@code classifier.max-text-bytes}) and the classifier's own text check,
 * so the front door refuses what the listener would only dead-letter. A client's own id lives in its data set's
 * namespace ({@link PromptIds#client}): two data sets may use the same ids. Unknown fields are ignored, as the
 * contracts ignore them.
 */
final class PromptItems {

    static final String DEFAULT_DATASET = "api";

    // Each field is checked on its own against well-formed stand-ins for the others, so that every field's
    // contract message is reported, not only the first a constructor meets.
    private static final String STAND_IN_ID = "stand-in";
    private static final String STAND_IN_TEXT = "stand-in";
    private static final Lineage STAND_IN_LINEAGE = Lineage.original(new Source(DEFAULT_DATASET, null));
    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() {
    };

    /** A prompt, or its errors; {@code oversized} when one of them is a text over the byte limit (413, not 400). */
    record Item(Prompt prompt, List<FieldError> errors, boolean oversized) {
    }

    private final int maxTextBytes;
    private final PromptCheck check;
    private final ObjectMapper mapper;

    PromptItems(int maxTextBytes, ObjectMapper mapper) {
        this.maxTextBytes = maxTextBytes;
        this.check = new PromptCheck(maxTextBytes);
        this.mapper = mapper;
    }

    Item read(int index, JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Item(null, List.of(new FieldError(index, null, "must be a JSON object with a \"text\" field")), false);
        }
        List<FieldError> errors = new ArrayList<>();
        boolean oversized = false;

        String text = null;
        JsonNode textNode = node.get("text");
        if (textNode != null && !textNode.isNull() && !textNode.isTextual()) {
            errors.add(wrongType(index, "text", "a string"));
        } else {
            text = textNode == null || textNode.isNull() ? null : textNode.textValue();
            int bytes = text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxTextBytes) {
                oversized = true;
                errors.add(new FieldError(index, "text", bytes + " bytes, more than the limit of " + maxTextBytes));
            } else {
                String checked = text;
                Optional<FieldError> contract = contract(index, "text", () -> new Prompt(STAND_IN_ID, checked, STAND_IN_LINEAGE, null));
                contract.or(() -> check.problem(checked).map(problem -> fromMessage(index, "text", problem)))
                        .ifPresent(errors::add);
            }
        }

        String id = null;
        JsonNode idNode = node.get("id");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isTextual()) {
                errors.add(wrongType(index, "id", "a string"));
            } else {
                id = idNode.textValue();
                String checked = id;
                contract(index, "id", () -> new Prompt(checked, STAND_IN_TEXT, STAND_IN_LINEAGE, null)).ifPresent(errors::add);
            }
        }

        String dataset = DEFAULT_DATASET;
        JsonNode datasetNode = node.get("dataset");
        if (datasetNode != null && !datasetNode.isNull()) {
            if (!datasetNode.isTextual()) {
                errors.add(wrongType(index, "dataset", "a string"));
            } else {
                dataset = datasetNode.textValue();
                String checked = dataset;
                contract(index, "dataset", () -> new Source(checked, null)).ifPresent(errors::add);
            }
        }

        Long row = null;
        JsonNode rowNode = node.get("row");
        if (rowNode != null && !rowNode.isNull()) {
            if (!rowNode.isIntegralNumber() || !rowNode.canConvertToLong()) {
                errors.add(wrongType(index, "row", "a whole number"));
            } else {
                row = rowNode.longValue();
                Long checked = row;
                contract(index, "row", () -> new Source(DEFAULT_DATASET, checked)).ifPresent(errors::add);
            }
        }

        Map<String, Object> metadata = null;
        JsonNode metadataNode = node.get("metadata");
        if (metadataNode != null && !metadataNode.isNull()) {
            if (!metadataNode.isObject()) {
                errors.add(wrongType(index, "metadata", "an object"));
            } else {
                metadata = mapper.convertValue(metadataNode, METADATA);
                Map<String, Object> checked = metadata;
                contract(index, "metadata", () -> new Prompt(STAND_IN_ID, STAND_IN_TEXT, STAND_IN_LINEAGE, checked)).ifPresent(errors::add);
            }
        }

        if (id != null && !PromptIds.isNamespace(dataset)) {
            errors.add(new FieldError(index, "dataset", "'" + dataset + "' cannot hold prompts with their own ids, which live in "
                    + "its namespace (<dataset>:<id>): name it with letters, digits and . _ - only, starting with a letter or "
                    + "a digit, or leave the ids out"));
        } else if (id != null && dataset.length() + 1 + id.length() > EventLimits.MAX_ID_CHARS) {
            errors.add(new FieldError(index, "id", "'" + dataset + ":" + id + "' (the id in its data set's namespace) is over "
                    + EventLimits.MAX_ID_CHARS + " characters"));
        }
        if (!errors.isEmpty()) {
            return new Item(null, List.copyOf(errors), oversized);
        }
        String promptId = id != null ? PromptIds.client(dataset, id) : PromptIds.of(dataset, row, text);
        try {
            return new Item(new Prompt(promptId, text, Lineage.original(new Source(dataset, row)), metadata), List.of(), false);
        } catch (InvalidEventException e) {
            // Every field passed on its own; a combination the contracts refuse still gets its reason.
            return new Item(null, List.of(fromMessage(index, null, e.getMessage())), false);
        }
    }

    private static FieldError wrongType(int index, String field, String expected) {
        return new FieldError(index, field, "wrong JSON type, " + expected + " expected");
    }

    private static Optional<FieldError> contract(int index, String field, Runnable construct) {
        try {
            construct.run();
            return Optional.empty();
        } catch (InvalidEventException e) {
            return Optional.of(fromMessage(index, field, e.getMessage()));
        }
    }

    /**
     * A contract message reads "prompt.text: must not be blank": the field goes to {@code field} as the request
     * names it ("text"; "metadata.a" for a nested metadata key), the rest to {@code message}.
     */
    static FieldError fromMessage(int index, String fallbackField, String message) {
        int colon = message.indexOf(": ");
        if (colon < 0) {
            return new FieldError(index, fallbackField, message);
        }
        String qualified = message.substring(0, colon);
        String field = qualified.startsWith("prompt.") ? qualified.substring("prompt.".length())
                : qualified.startsWith("source.") ? qualified.substring("source.".length()) : qualified;
        return new FieldError(index, field, message.substring(colon + 2));
    }
}
