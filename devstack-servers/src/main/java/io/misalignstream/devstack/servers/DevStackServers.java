package io.misalignstream.devstack.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The supervisor process: starts the requested servers, publishes their endpoints in
 * {@code endpoints.properties} of the state folder, and stops them all as soon as its standard
 * input closes, so a parent that dies (even by {@code kill -9}) never leaves a server behind. On request it crashes
 * a server and starts it again, for tests of what the services do meanwhile.
 *
 * <p>Arguments: {@code STATE_DIR PARTITIONS SERVER...} with SERVER among {@code kafka redis redis-cache postgres}.
 */
public final class DevStackServers {

    public static final String ENDPOINTS_FILE = "endpoints.properties";
    public static final String FAILURE_FILE = "failure.txt";
    public static final String PIDS_FILE = "pids.properties";
    public static final String RESTARTS_FILE = "restarts.properties";

    private final List<ManagedServer> started = new ArrayList<>();
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private final Path stateDir;

    private DevStackServers(Path stateDir) {
        this.stateDir = stateDir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DevStackServers STATE_DIR PARTITIONS kafka|redis|redis-cache|postgres...");
            System.exit(2);
        }
        Path stateDir = Path.of(args[0]);
        int partitions = Integer.parseInt(args[1]);
        Set<String> wanted = new TreeSet<>(List.of(args).subList(2, args.length));
        DevStackServers supervisor = new DevStackServers(stateDir);
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::stopAll, "devstack-shutdown"));
        int exitCode = supervisor.run(wanted, partitions);
        System.exit(exitCode);
    }

    private int run(Set<String> wanted, int partitions) throws IOException {
        Path logs = Files.createDirectories(stateDir.resolve("logs"));
        Path data = Files.createDirectories(stateDir.resolve("tmp"));
        List<ManagedServer> servers = new ArrayList<>();
        // PostgreSQL and Redis first: they start in a second or two, Kafka takes longer.
        if (wanted.contains("postgres")) {
            servers.add(new PostgresServer(data.resolve("postgres"), logs.resolve("postgres.log")));
        }
        if (wanted.contains(RedisServer.Role.STATE.serverName())) {
            servers.add(new RedisServer(RedisServer.Role.STATE, data.resolve("redis"), logs.resolve("redis.log"),
                    Integer.getInteger("devstack.redis.port", 0)));
        }
        if (wanted.contains(RedisServer.Role.CACHE.serverName())) {
            servers.add(new RedisServer(RedisServer.Role.CACHE, data.resolve("redis-cache"), logs.resolve("redis-cache.log"), 0));
        }
        if (wanted.contains("kafka")) {
            // Kafka logs through slf4j to the supervisor's own log.
            servers.add(new KafkaServer(data.resolve("kafka"), logs.resolve("servers.log"), partitions));
        }
        Map<String, String> endpoints = new LinkedHashMap<>();
        try {
            for (ManagedServer server : servers) {
                started.add(server);
                server.start();
                endpoints.putAll(server.endpoints());
                writePids();
            }
        } catch (Exception e) {
            writeAtomically(stateDir.resolve(FAILURE_FILE), describe(e));
            stopAll();
            return 1;
        }
        Properties properties = new Properties();
        properties.putAll(endpoints);
        StringWriter text = new StringWriter();
        properties.store(text, "devstack endpoints");
        writeAtomically(stateDir.resolve(ENDPOINTS_FILE), text.toString());
        boolean orphaned = !serveCommands();
        stopAll();
        if (orphaned) {
            // Nobody is left to clean up after us: remove the state folder ourselves.
            deleteRecursively(stateDir);
        }
        return 0;
    }

    /**
     * Serves the parent's commands until it writes {@code stop} (true) or its end of our standard input closes because
     * it died (false). {@code restart NAME MILLIS} crashes one server and starts it again after that downtime; the
     * outcome goes to {@code restarts.properties}: {@code NAME=} the number of restarts done, or {@code NAME.failure=}
     * the reason.
     */
    private boolean serveCommands() {
        InputStream in = System.in;
        StringBuilder line = new StringBuilder();
        try {
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    String[] command = line.toString().trim().split("\\s+");
                    line.setLength(0);
                    if (command[0].equals("stop")) {
                        return true;
                    }
                    if (command[0].equals("restart") && command.length == 3) {
                        restart(command[1], Long.parseLong(command[2]));
                    }
                } else {
                    line.append((char) b);
                }
            }
        } catch (IOException e) {
            // a broken pipe means the parent is gone
        }
        return false;
    }

    private void restart(String name, long downtimeMillis) throws IOException {
        StringBuilder text = new StringBuilder();
        try {
            ManagedServer server = started.stream().filter(candidate -> candidate.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(name + " is not a server of this devstack"));
            System.out.println("devstack: crashing " + name + " and starting it again in " + downtimeMillis + " ms");
            server.crashAndRestart(downtimeMillis);
            writePids();
            restarts.merge(name, 1, Integer::sum);
        } catch (Exception e) {
            text.append(name).append(".failure=").append(String.valueOf(e.getMessage()).replace('\n', ' ')).append('\n');
        }
        restarts.forEach((server, count) -> text.append(server).append('=').append(count).append('\n'));
        writeAtomically(stateDir.resolve(RESTARTS_FILE), text.toString());
    }

    private static void deleteRecursively(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // the next devstack start reaps what is left
        }
    }

    private synchronized void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        // The pid file stays: the launcher checks that every recorded process has exited before it
        // removes the state folder.
        started.clear();
    }

    private void writePids() throws IOException {
        StringBuilder pids = new StringBuilder();
        pids.append("supervisor=").append(ProcessHandle.current().pid()).append('\n');
        for (ManagedServer server : started) {
            server.externalPids().forEach((name, pid) -> pids.append(name).append('=').append(pid).append('\n'));
        }
        writeAtomically(stateDir.resolve(PIDS_FILE), pids.toString());
    }

    private static String describe(Exception e) {
        if (e instanceof ServerStartException) {
            return e.getMessage();
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return "devstack failed to start: " + trace;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
