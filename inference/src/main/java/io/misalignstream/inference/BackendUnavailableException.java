package io.misalignstream.inference;

/** A backend could not answer now (timeout, connection refused, 5xx, 429): the request may succeed later. */
public class BackendUnavailableException extends RuntimeException {

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
