package io.misalignstream.classifier.domain;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What makes a prompt unfit for labelling before any backend sees it: an empty text, a text over the size
 * limit, or control characters (other than tab, line feed and carriage return), which no user types and
 * which some servers reject or mis-tokenise.
 */
public final class PromptCheck {

    private final int maxTextBytes;

    public PromptCheck(int maxTextBytes) {
        this.maxTextBytes = maxTextBytes;
    }

    /** The reason the text cannot be labelled, or empty when it can. */
    public Optional<String> problem(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of("prompt.text: must not be empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxTextBytes) {
            return Optional.of("prompt.text: " + bytes + " bytes, more than the limit of " + maxTextBytes);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r') {
                return Optional.of(String.format("prompt.text: control character U+%04X at index %d", (int) c, i));
            }
        }
        return Optional.empty();
    }
}
