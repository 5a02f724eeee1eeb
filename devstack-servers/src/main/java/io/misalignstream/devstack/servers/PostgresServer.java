package io.misalignstream.devstack.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A PostgreSQL server from the zonky binaries artifact, with one database and one role for the product. */
final class PostgresServer implements ManagedServer {

    static final String DATABASE = "misalign";
    static final String ROLE = "misalign";

    private final Path dataDir;
    private final Path logFile;
    private final String password;
    private EmbeddedPostgres postgres;

    PostgresServer(Path dataDir, Path logFile) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        // A fresh secret per run: nothing to leak into the repository or a log.
        this.password = HexFormat.of().formatHex(secret);
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public void start() throws Exception {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    // zonky's default is off: a commit acknowledged just before a crash would be lost, which no real
                    // server does (fsync off only risks a machine's crash, not the server process's, which the tests make)
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
            }
        } catch (Exception e) {
            throw new ServerStartException(name(), logFile, String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * {@code pg_ctl stop -m immediate} (every backend killed, no checkpoint: the next start runs crash recovery), then
     * the postmaster started again with the options it was started with, which {@code postmaster.opts} records.
     */
    @Override
    public void crashAndRestart(long downtimeMillis) throws Exception {
        String options = Files.readString(dataDir.resolve("postmaster.opts")).trim();
        // The line is the postgres binary, then each argument in double quotes.
        int firstArgument = options.indexOf(" \"");
        Path pgCtl = Path.of(options.substring(0, firstArgument)).resolveSibling("pg_ctl");
        pgCtl(pgCtl, "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
        Thread.sleep(downtimeMillis);
        pgCtl(pgCtl, "-D", dataDir.toString(), "-o", options.substring(firstArgument + 1), "-w", "-t", "60", "start");
    }

    private void pgCtl(Path pgCtl, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        // As zonky does: PostgreSQL refuses to run as root, so as root it runs in a user namespace.
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(pgCtl.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new ServerStartException(name(), logFile, "pg_ctl " + arguments[arguments.length - 1] + " failed", null);
        }
    }

    @Override
    public Map<String, String> endpoints() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("postgres.url", "postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE);
        endpoints.put("postgres.user", ROLE);
        endpoints.put("postgres.password", password);
        return endpoints;
    }

    @Override
    public Map<String, Long> externalPids() {
        // pg_ctl detaches the postmaster, so it is not our child: read its pid from the data folder.
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? Map.of() : Map.of(name(), Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("postgres: error while stopping: " + e);
            }
            postgres = null;
        }
    }
}
