package io.misalignstream.contracts.event;

/** A record that breaks its topic's contract; the message says which field and why, for dead-letter reasons. */
public class InvalidEventException extends IllegalArgumentException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
