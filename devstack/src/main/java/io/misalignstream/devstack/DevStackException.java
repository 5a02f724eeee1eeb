package io.misalignstream.devstack;

/** The devstack could not start or reach a server; the message names the server and its log file. */
public class DevStackException extends RuntimeException {

    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
