package io.misalignstream.sampler.listener;

/** The service's channels; their topics are set in application.properties. */
public final class Channels {

    public static final String UNIQUE = "unique";
    public static final String UNIQUE_DEAD_LETTERS = "unique-dlq";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";

    private Channels() {
    }
}
