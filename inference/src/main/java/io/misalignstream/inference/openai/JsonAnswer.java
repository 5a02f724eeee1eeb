package io.misalignstream.inference.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import io.misalignstream.contracts.event.EncodableText;
import io.misalignstream.inference.InvalidAnswerException;

/**
 * A role's JSON answer: the response format that asks for it, and the checks every role makes on it before reading its
 * fields. Each failure is an {@link InvalidAnswerException} whose message says what to fix, as it is sent back to the
 * model.
 */
final class JsonAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUOTED_CHARS = 60;

    private JsonAnswer() {
    }

    /** Asks for an answer in the shape of {@code root}, as a strict JSON schema named {@code name}. */
    static ResponseFormat format(String name, JsonObjectSchema root) {
        return ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder().name(name).rootElement(root).build())
                .build();
    }

    /** Asks for an answer with one required text property and nothing else: {@code {"<property>": "..."}}. */
    static ResponseFormat textFormat(String name, String property, String description) {
        return format(name, JsonObjectSchema.builder()
                .addStringProperty(property, description)
                .required(property)
                .additionalProperties(false)
                .build());
    }

    /** The answer's JSON object. */
    static JsonNode object(String answer) {
        if (answer.isBlank()) {
            throw new InvalidAnswerException("the answer is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (JsonProcessingException e) {
            throw new InvalidAnswerException("the answer is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidAnswerException("the answer is not a JSON object");
        }
        return root;
    }

    /**
     * A required text field, stripped of surrounding whitespace: non-blank and at most {@code maxChars} long; a NUL or an
     * unpaired surrogate the answer's JSON escapes ({@code \u0000}, {@code \ud800}) is replaced, as in the answer itself.
     */
    static String text(JsonNode object, String field, String at, int maxChars) {
        JsonNode node = object.get(field);
        if (node == null || !node.isTextual()) {
            throw new InvalidAnswerException(at + ": missing or not a string");
        }
        String text = EncodableText.repaired(node.textValue()).strip();
        if (text.isEmpty()) {
            throw new InvalidAnswerException(at + ": blank");
        }
        if (text.length() > maxChars) {
            throw new InvalidAnswerException(at + ": " + text.length() + " characters, at most " + maxChars + " allowed");
        }
        return text;
    }

    /** Model output is echoed into the re-ask and the dead letter: keep it short. */
    static String quoted(String text) {
        return text.length() <= MAX_QUOTED_CHARS ? text : text.substring(0, MAX_QUOTED_CHARS) + "...";
    }
}
