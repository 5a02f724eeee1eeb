package io.misalignstream.resilience;

/**
 * Something could not answer now (an endpoint timed out or refused, a store is down, a circuit is open): the same
 * request may succeed later, so it is tried again rather than given up. Every "try again" failure of the stages
 * extends it, so that one predicate tells them apart from failures of the item's own.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientFailure(String message) {
        super(message);
    }

    /** Whether a failure is worth trying again. */
    public static boolean isTransient(Throwable failure) {
        return failure instanceof TransientFailure;
    }
}
