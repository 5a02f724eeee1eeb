package io.misalignstream.classifier.listener;

/** The service's messaging channels; application.properties maps each to its topic. */
public final class Channels {

    /** In: prompts.ingested, in batches. */
    public static final String INGESTED = "ingested";
    /** Out: prompts.classified. */
    public static final String CLASSIFIED = "classified";
    /** Out: prompts.ingested.dlq, every record that cannot be labelled, with the reason. */
    public static final String INGESTED_DEAD_LETTERS = "ingested-dlq";
    /** Out: prompts.ingested, what the HTTP front door accepts. */
    public static final String FRONT_DOOR = "front-door";

    private Channels() {
    }
}
