package io.misalignstream.evaluator.listener;

/** The service's channels; their topics are set in application.properties. */
public final class Channels {

    /** pairs.accepted, read into the evaluator's own store in its own consumer group. */
    public static final String PAIRS = "pairs";
    public static final String PAIRS_DEAD_LETTERS = "pairs-dlq";
    public static final String METRICS = "metrics";

    private Channels() {
    }
}
