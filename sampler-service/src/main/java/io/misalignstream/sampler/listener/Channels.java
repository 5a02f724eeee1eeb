package io.misalignstream.sampler.listener;

/** The service's channels; their topics are set in application.properties. */
public final class Channels {

    public static final String UNIQUE = "unique";
    public static final String UNIQUE_DEAD_LETTERS = "unique-dlq";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    /** pairs.accepted again, read by the dataset writer in its own consumer group. */
    public static final String DATASET = "dataset";
    public static final String DATASET_DEAD_LETTERS = "accepted-dlq";

    private Channels() {
    }
}
