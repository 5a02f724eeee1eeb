package io.misalignstream.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Real Kafka (KRaft), Redis and PostgreSQL for tests and the local run, with Redis in its two roles as deployed: one
 * for durable state (nothing evicted) and one for the LLM answer caches (a small memory bound, keys evicted when
 * full; docs/operations.md, Redis roles). Servers named in the
 * environment are used as they are; the others are started in a supervisor JVM (module
 * {@code devstack-servers}) whose standard input is our pipe: if this JVM dies, even by {@code kill -9},
 * the supervisor sees the pipe close and stops its servers. {@link #close()} stops everything and
 * removes the state folder (logs, data, temp files).
 */
public final class DevStack implements AutoCloseable {

    public static final String ENV_KAFKA = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String ENV_REDIS = "REDIS_URL";
    /** The caches' Redis; when only {@link #ENV_REDIS} is set, that one Redis serves both roles. */
    public static final String ENV_REDIS_CACHE = "REDIS_CACHE_URL";
    public static final String ENV_POSTGRES_URL = "POSTGRES_URL";
    public static final String ENV_POSTGRES_USER = "POSTGRES_USER";
    public static final String ENV_POSTGRES_PASSWORD = "POSTGRES_PASSWORD";

    static final String STATE_PREFIX = "misalign-devstack-";
    private static final String SERVERS_MAIN = "io.misalignstream.devstack.servers.DevStackServers";
    private static final String SERVERS_CLASSPATH = "io/misalignstream/devstack/servers/runtime.classpath";
    private static final String ENDPOINTS_FILE = "endpoints.properties";
    private static final String FAILURE_FILE = "failure.txt";
    static final String PIDS_FILE = "pids.properties";
    private static final String SERVERS_LOG = "logs/servers.log";
    private static final String RESTARTS_FILE = "restarts.properties";

    /** The servers a devstack can crash and start again. */
    public enum Server {
        REDIS, POSTGRES;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Endpoints endpoints;
    private final Process supervisor;
    private final Path stateDir;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private DevStack(Endpoints endpoints, Process supervisor, Path stateDir) {
        this.endpoints = endpoints;
        this.supervisor = supervisor;
        this.stateDir = stateDir;
        this.shutdownHook = new Thread(this::stop, "devstack-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static DevStack start() {
        return start(DevStackOptions.defaults());
    }

    public static DevStack start(DevStackOptions options) {
        Map<String, String> env = options.environment();
        List<String> toStart = new ArrayList<>();
        if (isBlank(env.get(ENV_POSTGRES_URL))) {
            toStart.add("postgres");
        }
        if (isBlank(env.get(ENV_REDIS))) {
            toStart.add("redis");
        }
        if (isBlank(env.get(ENV_REDIS_CACHE)) && isBlank(env.get(ENV_REDIS))) {
            toStart.add("redis-cache");
        }
        if (isBlank(env.get(ENV_KAFKA))) {
            toStart.add("kafka");
        }
        Properties started = new Properties();
        Process supervisor = null;
        Path stateDir = null;
        if (!toStart.isEmpty()) {
            StaleStateReaper.reap(options.stateParent());
            try {
                Files.createDirectories(options.stateParent());
                stateDir = Files.createTempDirectory(options.stateParent(), STATE_PREFIX);
                supervisor = launchSupervisor(stateDir, options, toStart);
                started = awaitEndpoints(supervisor, stateDir, options);
            } catch (IOException e) {
                stopSupervisor(supervisor, stateDir, true);
                throw new DevStackException("devstack: cannot start the servers: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                stopSupervisor(supervisor, stateDir, true);
                throw e;
            }
        }
        Endpoints endpoints = new Endpoints(
                pick(env, ENV_KAFKA, started, "kafka.bootstrap.servers"),
                pick(env, ENV_REDIS, started, "redis.url"),
                isBlank(env.get(ENV_REDIS_CACHE)) && !isBlank(env.get(ENV_REDIS)) ? env.get(ENV_REDIS).trim()
                        : pick(env, ENV_REDIS_CACHE, started, "redis-cache.url"),
                pick(env, ENV_POSTGRES_URL, started, "postgres.url"),
                isBlank(env.get(ENV_POSTGRES_URL)) ? started.getProperty("postgres.user") : env.getOrDefault(ENV_POSTGRES_USER, "postgres"),
                isBlank(env.get(ENV_POSTGRES_URL)) ? started.getProperty("postgres.password") : env.getOrDefault(ENV_POSTGRES_PASSWORD, ""));
        DevStack stack = new DevStack(endpoints, supervisor, stateDir);
        try {
            TopicProvisioner.ensureTopics(endpoints.kafkaBootstrapServers(), options.partitions());
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The folder holding this run's logs and data; absent when every server came from the environment. */
    public java.util.Optional<Path> stateDir() {
        return java.util.Optional.ofNullable(stateDir);
    }

    /** Whether the servers this devstack started are still running (true when it started none). */
    public boolean isAlive() {
        return supervisor == null || supervisor.isAlive();
    }

    /**
     * Crashes one of the servers this devstack started and starts it again on the same port after {@code downtime}:
     * Redis by {@code kill -9}, coming back empty (it persists nothing); PostgreSQL by an immediate shutdown, coming
     * back with its data after crash recovery. Returns once the server accepts clients again.
     */
    public synchronized void crashAndRestart(Server server, Duration downtime) {
        if (supervisor == null || !supervisor.isAlive()) {
            throw new DevStackException("devstack: " + server.id() + " was not started by this devstack");
        }
        Path restarts = stateDir.resolve(RESTARTS_FILE);
        int before = Integer.parseInt(readProperties(restarts).getProperty(server.id(), "0"));
        try {
            OutputStream stdin = supervisor.getOutputStream();
            stdin.write(("restart " + server.id() + " " + downtime.toMillis() + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            throw new DevStackException("devstack: the supervisor is gone: " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(downtime).plusSeconds(120);
        while (true) {
            Properties outcome = readProperties(restarts);
            if (outcome.containsKey(server.id() + ".failure")) {
                throw new DevStackException("devstack: restarting " + server.id() + " failed: " + outcome.getProperty(server.id() + ".failure"));
            }
            if (Integer.parseInt(outcome.getProperty(server.id(), "0")) > before) {
                return;
            }
            if (Instant.now().isAfter(deadline) || !supervisor.isAlive()) {
                throw new DevStackException("devstack: " + server.id() + " not back in time (log: " + stateDir.resolve(SERVERS_LOG) + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("interrupted while restarting " + server.id(), e);
            }
        }
    }

    private static Properties readProperties(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new DevStackException("devstack: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return properties;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private void stop() {
        if (closed.compareAndSet(false, true)) {
            stopSupervisor(supervisor, stateDir, false);
        }
    }

    private static Process launchSupervisor(Path stateDir, DevStackOptions options, List<String> servers) throws IOException {
        Path tmp = Files.createDirectories(stateDir.resolve("tmp"));
        Path log = Files.createDirectories(stateDir.resolve("logs")).resolve("servers.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                // Every library's temp file lands in the state folder, so close() removes them all.
                "-Djava.io.tmpdir=" + tmp,
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Ddevstack.redis.port=" + options.redisPort(),
                "-cp", serversClasspath(),
                SERVERS_MAIN,
                stateDir.toString(),
                String.valueOf(options.partitions())));
        command.addAll(servers);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    /** The devstack-servers jar (or classes folder) followed by the runtime classpath recorded in it at build time. */
    static String serversClasspath() throws IOException {
        URL resource = ClassLoader.getSystemClassLoader().getResource(SERVERS_CLASSPATH);
        if (resource == null) {
            resource = DevStack.class.getClassLoader().getResource(SERVERS_CLASSPATH);
        }
        if (resource == null) {
            throw new DevStackException("devstack: the devstack-servers artifact is not on the classpath ("
                    + SERVERS_CLASSPATH + " not found); build it with ./mvnw install -pl devstack-servers");
        }
        String recorded;
        try (InputStream in = resource.openStream()) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return codeLocation(resource) + java.io.File.pathSeparator + recorded;
    }

    private static String codeLocation(URL resource) {
        String url = resource.toString();
        try {
            if (url.startsWith("jar:")) {
                String jar = url.substring("jar:".length(), url.indexOf("!/"));
                return Path.of(new java.net.URI(jar)).toString();
            }
            Path file = Path.of(resource.toURI());
            // .../classes/io/misalignstream/devstack/servers/runtime.classpath -> .../classes
            return file.getParent().getParent().getParent().getParent().getParent().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new DevStackException("devstack: cannot locate the devstack-servers code from " + url, e);
        }
    }

    private static Properties awaitEndpoints(Process supervisor, Path stateDir, DevStackOptions options) throws IOException {
        Instant deadline = Instant.now().plus(options.startTimeout());
        Path endpointsFile = stateDir.resolve(ENDPOINTS_FILE);
        Path failureFile = stateDir.resolve(FAILURE_FILE);
        while (true) {
            if (Files.exists(endpointsFile)) {
                return readProperties(endpointsFile);
            }
            if (Files.exists(failureFile)) {
                throw new DevStackException(Files.readString(failureFile).trim());
            }
            if (!supervisor.isAlive()) {
                throw new DevStackException("devstack supervisor exited with code " + supervisor.exitValue()
                        + " before the servers were ready (log: " + stateDir.resolve(SERVERS_LOG) + ")");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new DevStackException("devstack servers not ready within " + options.startTimeout().toSeconds()
                        + " s (log: " + stateDir.resolve(SERVERS_LOG) + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("interrupted while starting the devstack", e);
            }
        }
    }

    /**
     * Asks the supervisor to stop, forces it after a grace period, kills any server it left, and
     * removes the state folder; after a failed start the logs are kept for the error message to point at.
     */
    private static void stopSupervisor(Process supervisor, Path stateDir, boolean keepLogs) {
        if (supervisor != null) {
            try (OutputStream stdin = supervisor.getOutputStream()) {
                stdin.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException alreadyGone) {
                // the supervisor is gone; the reaper below handles what it left
            }
            try {
                if (!supervisor.waitFor(60, TimeUnit.SECONDS)) {
                    supervisor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                supervisor.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (stateDir != null) {
            StaleStateReaper.killRecordedServers(stateDir);
            deleteRecursively(keepLogs ? stateDir.resolve("tmp") : stateDir);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a server may still be writing a file; the next start's reaper retries
                }
            });
        } catch (IOException ignored) {
            // nothing more to do: the reaper of the next start cleans up
        }
    }

    private static String pick(Map<String, String> env, String variable, Properties started, String key) {
        String value = env.get(variable);
        return isBlank(value) ? started.getProperty(key) : value.trim();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
