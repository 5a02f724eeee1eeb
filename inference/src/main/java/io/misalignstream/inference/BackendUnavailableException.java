package io.misalignstream.inference;

import io.misalignstream.resilience.TransientFailure;

/** A backend could not answer now (timeout, connection refused, 5xx, 429): the request may succeed later. */
public class BackendUnavailableException extends TransientFailure {

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
