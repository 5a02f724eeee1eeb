package io.misalignstream.devstack.servers;

import java.nio.file.Path;
import java.util.Map;

/** One real server the supervisor owns: started once (again after a crash on request), described by endpoint properties, closed once. */
interface ManagedServer extends AutoCloseable {

    /** Short name used in endpoint keys and error messages: {@code kafka}, {@code redis}, {@code postgres}. */
    String name();

    Path logFile();

    /** Starts the server and blocks until it accepts clients. */
    void start() throws Exception;

    /** Connection properties, keys prefixed with {@link #name()}. */
    Map<String, String> endpoints();

    /**
     * Takes the server down as a crash would (no clean shutdown), keeps it down for {@code downtimeMillis}, and starts
     * it again on the same port, with whatever data survives such a crash. Servers that do not support it throw.
     */
    default void crashAndRestart(long downtimeMillis) throws Exception {
        throw new UnsupportedOperationException(name() + " cannot be restarted");
    }

    /** Operating-system processes this server runs outside the supervisor JVM, for the reaper. */
    Map<String, Long> externalPids();

    @Override
    void close();
}
