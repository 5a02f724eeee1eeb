package io.misalignstream.inference.openai;

import java.util.regex.Pattern;

/**
 * Text from the stream (a prompt, a response, an example) as data between a pair of tags in a message. Copies of the
 * tags inside the text are neutralised, so that it cannot close its own block and speak as the task.
 */
final class DelimitedData {

    private static final String NEUTRALISED_DELIMITER = "[delimiter removed]";

    private final String tag;
    private final Pattern delimiter;

    /** @param tag the tag's name, e.g. {@code prompt} for {@code <prompt>...</prompt>} */
    DelimitedData(String tag) {
        this.tag = tag;
        this.delimiter = Pattern.compile("<\\s*/?\\s*" + Pattern.quote(tag) + "\\s*>", Pattern.CASE_INSENSITIVE);
    }

    String open() {
        return "<" + tag + ">";
    }

    String close() {
        return "</" + tag + ">";
    }

    /** The text between the tags, each on its own line, cut to {@code maxChars} (marked by "...") when longer. */
    String block(String text, int maxChars) {
        String cut = text.length() <= maxChars ? text : text.substring(0, maxChars) + "...";
        return open() + "\n" + delimiter.matcher(cut).replaceAll(NEUTRALISED_DELIMITER) + "\n" + close();
    }
}
