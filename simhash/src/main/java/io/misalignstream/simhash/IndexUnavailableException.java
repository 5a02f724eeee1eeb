package io.misalignstream.simhash;

/**
 * The store holds no index (never initialised, or lost, e.g. Redis flushed). Nothing may be accepted
 * unchecked until it is rebuilt: callers pause and retry.
 */
public class IndexUnavailableException extends RuntimeException {

    public IndexUnavailableException(String message) {
        super(message);
    }
}
