package io.misalignstream.cli;

import io.misalignstream.devstack.Endpoints;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code .misalign/devstack.env} in the project folder: the endpoints of a devstack started by
 * {@code misalign devstack} or {@code misalign demo --keep}, so that other commands find it. Readable
 * by its owner only (it holds the database password); removed when that devstack stops, and
 * ignored if the process that wrote it has died without removing it.
 */
final class LocalDevStackFile {

    private static final String OWNER = "MISALIGN_DEVSTACK_OWNER_PID";

    private LocalDevStackFile() {
    }

    static Path path() {
        String home = System.getenv("MISALIGN_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home, ".misalign", "devstack.env");
    }

    static void write(Endpoints endpoints) {
        Path file = path();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder text = new StringBuilder("# written by misalign; removed when that devstack stops\n");
            text.append(OWNER).append('=').append(ProcessHandle.current().pid()).append('\n');
            for (Map.Entry<String, String> entry : endpoints.environment().entrySet()) {
                text.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The option when given, else the environment variable, else the running devstack's value, else the fallback. */
    static String resolve(String option, String variable, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return read().map(env -> env.get(variable)).orElse(fallback);
    }

    static Optional<Map<String, String>> read() {
        Path file = path();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!ownerAlive(properties.getProperty(OWNER))) {
            delete();
            return Optional.empty();
        }
        Map<String, String> values = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return Optional.of(values);
    }

    private static boolean ownerAlive(String pid) {
        try {
            return pid != null && ProcessHandle.of(Long.parseLong(pid.trim())).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static void delete() {
        try {
            Files.deleteIfExists(path());
        } catch (IOException ignored) {
            // a stale file is overwritten by the next devstack and ignored once its servers are gone
        }
    }
}
