package io.misalignstream.devstack.servers;

import java.nio.file.Path;

/** A server did not come up; the message names the server and where its log is. */
final class ServerStartException extends Exception {

    ServerStartException(String server, Path logFile, String reason, Throwable cause) {
        super(server + " failed to start: " + reason + " (log: " + logFile + ")", cause);
    }
}
