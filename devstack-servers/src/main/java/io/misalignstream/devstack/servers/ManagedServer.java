package io.misalignstream.devstack.servers;

import java.nio.file.Path;
import java.util.Map;

/** One real server the supervisor owns: started once, described by endpoint properties, closed once. */
interface ManagedServer extends AutoCloseable {

    /** Short name used in endpoint keys and error messages: {@code kafka}, {@code redis}, {@code postgres}. */
    String name();

    Path logFile();

    /** Starts the server and blocks until it accepts clients. */
    void start() throws Exception;

    /** Connection properties, keys prefixed with {@link #name()}. */
    Map<String, String> endpoints();

    /** Operating-system processes this server runs outside the supervisor JVM, for the reaper. */
    Map<String, Long> externalPids();

    @Override
    void close();
}
