package io.misalignstream.expander.listener;

/** The service's messaging channels; application.properties maps each to its topic. */
public final class Channels {

    /** In: prompts.classified, in batches. */
    public static final String CLASSIFIED = "classified";
    /** Out: prompts.candidates, originals forwarded and synthetic prompts. */
    public static final String CANDIDATES = "candidates";
    /** Out: prompts.classified.dlq, every record that cannot be read, with the reason. */
    public static final String CLASSIFIED_DEAD_LETTERS = "classified-dlq";

    private Channels() {
    }
}
