package io.misalignstream.resilience;

/** An endpoint's circuit is open after repeated failures: the call was not made, and may be tried again later. */
public class CircuitOpenException extends TransientFailure {

    public CircuitOpenException(String endpoint, Throwable cause) {
        super(endpoint + ": circuit open after repeated failures", cause);
    }
}
