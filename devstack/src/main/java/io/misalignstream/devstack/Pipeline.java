package io.misalignstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The five packaged services, each its own process on one devstack: the whole pipeline on one machine, for the
 * local run and for tests. {@link #close()} stops them last stage first; so does the JVM's exit.
 */
public final class Pipeline implements AutoCloseable {

    /** The stages in flow order, each a module of the project with its packaged service. */
    public enum Stage {
        CLASSIFIER("classifier-service"), EXPANDER("expander-service"), DEDUP("dedup-service"),
        SAMPLER("sampler-service"), EVALUATOR("evaluator-service");

        private final String service;

        Stage(String service) {
            this.service = service;
        }

        /** The module and application name, e.g. {@code classifier-service}. */
        public String service() {
            return service;
        }

        public Path jar(Path projectHome) {
            return projectHome.resolve(service).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        }
    }

    /** What every service is built from besides its own module: a change there needs a new package too. */
    private static final List<String> SHARED_MODULES = List.of("contracts", "resilience", "inference", "messaging", "api-keys", "simhash", "evaluation");

    private final Map<Stage, ServiceProcess> services;
    private final Path projectHome;
    private final DevStack devStack;
    private final Map<Stage, Map<String, String>> environment;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private Pipeline(Map<Stage, ServiceProcess> services, Path projectHome, DevStack devStack, Map<Stage, Map<String, String>> environment) {
        this.services = services;
        this.projectHome = projectHome;
        this.devStack = devStack;
        this.environment = Map.copyOf(environment);
        this.shutdownHook = new Thread(this::stop, "pipeline-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The stages whose packaged service is missing or older than a source or build file it is made from. */
    public static List<Stage> unpackaged(Path projectHome) {
        FileTime shared = newest(Stream.concat(Stream.of(projectHome.resolve("pom.xml")),
                SHARED_MODULES.stream().flatMap(module -> Stream.of(projectHome.resolve(module).resolve("pom.xml"),
                        projectHome.resolve(module).resolve("src")))).toList());
        List<Stage> stale = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            Path jar = stage.jar(projectHome);
            if (!Files.exists(jar)) {
                stale.add(stage);
                continue;
            }
            Path module = projectHome.resolve(stage.service());
            FileTime sources = newest(List.of(module.resolve("pom.xml"), module.resolve("src/main")));
            FileTime built = modified(jar);
            if (sources.compareTo(built) > 0 || shared.compareTo(built) > 0) {
                stale.add(stage);
            }
        }
        return stale;
    }

    /**
     * Starts the five services at once (they start faster side by side than one after the other) and waits until each
     * is ready. A service that fails to start stops the others; the exception holds its log's tail.
     *
     * @param environment settings per stage, on top of the devstack's endpoints
     */
    public static Pipeline start(Path projectHome, DevStack devStack, Map<Stage, Map<String, String>> environment,
                                 Duration readyTimeout) throws IOException, InterruptedException {
        Map<Stage, ServiceProcess> started = new EnumMap<>(Stage.class);
        Pipeline pipeline = new Pipeline(started, projectHome, devStack, environment);
        try {
            for (Stage stage : Stage.values()) {
                started.put(stage, ServiceProcess.start(stage.jar(projectHome), stage.service(), devStack,
                        environment.getOrDefault(stage, Map.of())));
            }
            for (Stage stage : Stage.values()) {
                try {
                    started.get(stage).awaitReady(readyTimeout);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(stage.service() + " did not start (log: " + started.get(stage).log() + "): "
                            + e.getMessage(), e);
                }
            }
            return pipeline;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /** {@code kill -9} of the stage's service (no shutdown hook, no offset committed), then the same service started again. */
    public ServiceProcess killAndRestart(Stage stage, Duration readyTimeout) throws IOException, InterruptedException {
        services.get(stage).kill();
        ServiceProcess restarted = ServiceProcess.start(stage.jar(projectHome), stage.service(), devStack,
                environment.getOrDefault(stage, Map.of()));
        services.put(stage, restarted);
        restarted.awaitReady(readyTimeout);
        return restarted;
    }

    /**
     * SIGTERM of the stage's service (it drains and commits), waiting up to {@code exitTimeout} for it to exit, then the
     * same service started again.
     *
     * @return how long the service took to exit
     */
    public Duration terminateAndRestart(Stage stage, Duration exitTimeout, Duration readyTimeout) throws IOException, InterruptedException {
        Duration stopped = services.get(stage).terminate(exitTimeout);
        ServiceProcess restarted = ServiceProcess.start(stage.jar(projectHome), stage.service(), devStack,
                environment.getOrDefault(stage, Map.of()));
        services.put(stage, restarted);
        restarted.awaitReady(readyTimeout);
        return stopped;
    }

    public ServiceProcess service(Stage stage) {
        return services.get(stage);
    }

    public Optional<Stage> exited() {
        return services.entrySet().stream().filter(entry -> !entry.getValue().isAlive()).map(Map.Entry::getKey).findFirst();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    /** Last stage first, so that no stage publishes to one already gone. */
    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Stage> stages = new ArrayList<>(services.keySet());
        java.util.Collections.reverse(stages);
        for (Stage stage : stages) {
            try {
                services.get(stage).close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FileTime newest(List<Path> roots) {
        FileTime newest = FileTime.fromMillis(0);
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    FileTime time = modified(file);
                    if (time.compareTo(newest) > 0) {
                        newest = time;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + root, e);
            }
        }
        return newest;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
