package io.misalignstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service ({@code target/quarkus-app/quarkus-run.jar}) run as its own process on the devstack's
 * servers, as it runs in production: for tests that kill it, run replicas of it or run it twice. Its output
 * goes to a log file beside the build output, for reading after a failure.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param jar the packaged service
     * @param name names the log file
     * @param environment settings on top of the devstack's endpoints
     */
    public static ServiceProcess start(Path jar, String name, DevStack devStack, Map<String, String> environment) throws IOException {
        return start(jar, name, devStack, environment, "1g");
    }

    /** @param maxHeap the JVM's {@code -Xmx}, e.g. {@code 2g} for a benchmark's large batches */
    public static ServiceProcess start(Path jar, String name, DevStack devStack, Map<String, String> environment, String maxHeap)
            throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (mvn package)");
        }
        int port = freePort();
        Path log = Files.createTempFile(jar.toAbsolutePath().getParent().getParent(), name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + maxHeap, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(devStack.endpoints().environment());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("LOG_JSON", "false");
        return new ServiceProcess(builder.start(), port, log);
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail if the process exits or time runs out. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited:\n" + logTail());
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service was not ready within " + timeout + ":\n" + logTail());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public int port() {
        return port;
    }

    /** The file the service's output goes to: {@code <service>/target/<name>-<random>.log}. */
    public Path log() {
        return log;
    }

    /** The process, for what a benchmark measures of it (CPU time). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, no offset is committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGTERM, as Kubernetes stops a pod: the service drains and exits on its own.
     *
     * @return how long it took to exit
     * @throws IllegalStateException it did not exit within {@code timeout} (it is then killed)
     */
    public Duration terminate(Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("the service did not exit within " + timeout + " of SIGTERM (log: " + log + ")");
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
