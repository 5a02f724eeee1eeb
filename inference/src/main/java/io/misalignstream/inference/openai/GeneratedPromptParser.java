package io.misalignstream.inference.openai;

import io.misalignstream.inference.InvalidAnswerException;
import java.util.List;
import java.util.Locale;

/**
 * Reads a model's answer into the text of a generated prompt, checking it ourselves since not every server enforces
 * the schema: JSON with a non-blank {@code prompt} of at most {@value #MAX_CHARS} characters that is not one of the
 * request's examples. Every failure is an {@link InvalidAnswerException} whose message says what to fix, as it is sent
 * back to the model.
 */
final class GeneratedPromptParser {

    /** Far beyond the 80 words asked for: a longer text is a model rambling, not a prompt. */
    static final int MAX_CHARS = 2000;

    private final List<String> examples;

    /** @param examples every example of the request, also those not shown to the model */
    GeneratedPromptParser(List<String> examples) {
        this.examples = examples.stream().map(GeneratedPromptParser::comparable).toList();
    }

    /** The prompt, stripped of surrounding whitespace. */
    String text(String answer) {
        String text = JsonAnswer.text(JsonAnswer.object(answer), "prompt", "prompt", MAX_CHARS);
        int repeated = examples.indexOf(comparable(text));
        if (repeated >= 0) {
            throw new InvalidAnswerException("prompt: repeats example " + (repeated + 1) + " word for word; write a new one");
        }
        return text;
    }

    private static String comparable(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }
}
