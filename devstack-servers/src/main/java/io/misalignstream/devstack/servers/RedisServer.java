package io.misalignstream.devstack.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisExecProvider;

/**
 * A Redis 7 server from the binary shipped in the embedded-redis artifact, run as our own child
 * process so that its log, port and shutdown are under the supervisor's control. One of two roles, as in
 * docker-compose.yml: durable state ({@code redis}: nothing evicted) or the LLM answer caches ({@code redis-cache}:
 * a small memory bound, least recently used keys evicted). Neither persists anything here.
 */
final class RedisServer implements ManagedServer {

    /** What a Redis holds, which decides its name and its memory policy. */
    enum Role {
        STATE("redis", List.of("--maxmemory-policy", "noeviction")),
        CACHE("redis-cache", List.of("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"));

        private final String serverName;
        private final List<String> memoryPolicy;

        Role(String serverName, List<String> memoryPolicy) {
            this.serverName = serverName;
            this.memoryPolicy = memoryPolicy;
        }

        /** The name the supervisor is asked for and restarts by. */
        String serverName() {
            return serverName;
        }
    }

    private static final int PORT_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Role role;
    private final Path dataDir;
    private final Path logFile;
    private int fixedPort;
    private Process process;
    private int port;

    /** @param fixedPort the port to bind, or 0 for any free one */
    RedisServer(Role role, Path dataDir, Path logFile, int fixedPort) {
        this.role = role;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.fixedPort = fixedPort;
    }

    @Override
    public String name() {
        return role.serverName();
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public void start() throws Exception {
        Path binary;
        try {
            binary = RedisExecProvider.defaultProvider().get().toPath();
        } catch (IOException e) {
            throw new ServerStartException(name(), logFile, "cannot extract the redis-server binary: " + e.getMessage(), e);
        }
        Files.createDirectories(dataDir);
        String lastFailure = "";
        // A free port can be taken by someone else between the probe and the bind: try again.
        int attempts = fixedPort == 0 ? PORT_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            port = fixedPort == 0 ? freeLoopbackPort() : fixedPort;
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--port", String.valueOf(port),
                    "--bind", "127.0.0.1",
                    "--protected-mode", "no",
                    "--daemonize", "no",
                    "--dir", dataDir.toString(),
                    "--logfile", logFile.toString(),
                    "--save", "",
                    "--appendonly", "no"));
            command.addAll(role.memoryPolicy);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (awaitPong()) {
                return;
            }
            lastFailure = process.isAlive()
                    ? "no PONG on 127.0.0.1:" + port + " within " + READY_TIMEOUT.toSeconds() + " s"
                    : "exited with code " + process.exitValue() + " on 127.0.0.1:" + port + lastWarning();
            close();
        }
        throw new ServerStartException(name(), logFile, lastFailure, null);
    }

    private boolean awaitPong() throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                socket.setSoTimeout(1000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = in.readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Redis marks warnings with '#': the last one is usually the reason it stopped. */
    private String lastWarning() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            for (int i = lines.size() - 1; i >= 0; i--) {
                int mark = lines.get(i).indexOf(" # ");
                if (mark >= 0) {
                    return ": " + lines.get(i).substring(mark + 3).trim();
                }
            }
        } catch (IOException unreadable) {
            // the log path is in the message anyway
        }
        return "";
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code kill -9}; it persists nothing, so it comes back empty, as a Redis without persistence does. */
    @Override
    public void crashAndRestart(long downtimeMillis) throws Exception {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        process = null;
        Thread.sleep(downtimeMillis);
        fixedPort = port;
        start();
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of(role.serverName() + ".url", "redis://127.0.0.1:" + port);
    }

    @Override
    public Map<String, Long> externalPids() {
        return process == null ? Map.of() : Map.of(name(), process.pid());
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }
}
