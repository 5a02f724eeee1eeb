package io.misalignstream.dedup.listener;

/** The service's messaging channels; their topics are set in application.properties. */
public final class Channels {

    /** In: {@code prompts.candidates}. */
    public static final String CANDIDATES = "candidates";
    /** Out: {@code prompts.unique}. */
    public static final String UNIQUE = "unique";
    /** Out: {@code prompts.duplicates}. */
    public static final String DUPLICATES = "duplicates";
    /** Out: {@code prompts.candidates.dlq}. */
    public static final String CANDIDATES_DEAD_LETTERS = "candidates-dlq";

    private Channels() {
    }
}
