package io.misalignstream.devstack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Cleans up after a devstack whose supervisor was killed outright (the only way a server can
 * outlive its owner): kills the Redis and PostgreSQL processes its pid file names and removes its folder.
 */
final class StaleStateReaper {

    private StaleStateReaper() {
    }

    static void reap(Path stateParent) {
        if (!Files.isDirectory(stateParent)) {
            return;
        }
        try (DirectoryStream<Path> states = Files.newDirectoryStream(stateParent, DevStack.STATE_PREFIX + "*")) {
            for (Path state : states) {
                Properties pids = readPids(state);
                String supervisor = pids.getProperty("supervisor");
                if (supervisor == null || isAlive(supervisor)) {
                    continue; // still in use, or a failed start whose logs are kept for reading
                }
                killRecordedServers(state);
                DevStack.deleteRecursively(state);
            }
        } catch (IOException ignored) {
            // reaping is best effort; it runs again on the next start
        }
    }

    /**
     * Waits for every server recorded in the state folder to exit, asking it to stop after a grace
     * period and forcing it after another: a stopping PostgreSQL outlives {@code pg_ctl stop} by a moment.
     */
    static void killRecordedServers(Path state) {
        Properties pids = readPids(state);
        for (String server : new String[] {"redis", "postgres"}) {
            String pid = pids.getProperty(server);
            if (pid == null) {
                continue;
            }
            handle(pid).filter(process -> process.info().command().map(command -> command.contains(server)).orElse(false))
                    .ifPresent(process -> {
                        if (awaitExit(process, 10)) {
                            return;
                        }
                        process.destroy();
                        if (!awaitExit(process, 10)) {
                            process.destroyForcibly();
                            awaitExit(process, 10);
                        }
                    });
        }
    }

    private static boolean awaitExit(ProcessHandle process, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (isRunning(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(process);
            }
        }
        return true;
    }

    /**
     * Alive and not a zombie. A daemonised server that exits is re-parented to PID 1, which may reap it
     * late; until then {@link ProcessHandle#isAlive()} still says true although it has exited.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException noProcFs) {
            return process.isAlive();
        }
    }

    private static Properties readPids(Path state) {
        Properties pids = new Properties();
        Path file = state.resolve(DevStack.PIDS_FILE);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                pids.load(reader);
            } catch (IOException ignored) {
                // a half-written file: treat as no pids
            }
        }
        return pids;
    }

    private static boolean isAlive(String pid) {
        return handle(pid).map(StaleStateReaper::isRunning).orElse(false);
    }

    private static Optional<ProcessHandle> handle(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
