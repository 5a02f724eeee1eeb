package io.misalignstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevStackTest {

    @TempDir
    Path stateParent;

    @Test
    void startsRealServersCreatesTopicsAndLeavesNothingBehind() throws Exception {
        DevStackOptions options = DevStackOptions.defaults().withEnvironment(Map.of()).withStateParent(stateParent).withPartitions(3);
        List<ProcessHandle> servers;
        Path stateDir;
        try (DevStack stack = DevStack.start(options)) {
            Endpoints endpoints = stack.endpoints();
            stateDir = stack.stateDir().orElseThrow();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Topics.all());
                TopicDescription ingested = admin.describeTopics(List.of(Topics.PROMPTS_INGESTED))
                        .allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.PROMPTS_INGESTED);
                assertThat(ingested.partitions()).hasSize(3);
            }
            URI redis = URI.create(endpoints.redisUrl());
            assertThat(redisCommand(redis.getPort(), "PING")).startsWith("+PONG");
            // Redis in its two roles: state never evicted, the caches bounded and evicting (docs/operations.md, Redis roles)
            URI cache = URI.create(endpoints.redisCacheUrl());
            assertThat(cache.getPort()).isNotEqualTo(redis.getPort());
            assertThat(redisReplies(redis.getPort(), "CONFIG GET maxmemory-policy")).contains("noeviction");
            assertThat(redisReplies(cache.getPort(), "CONFIG GET maxmemory-policy")).contains("allkeys-lru");
            assertThat(redisReplies(cache.getPort(), "CONFIG GET maxmemory")).contains(String.valueOf(64 * 1024 * 1024));
            assertThat(endpoints.environment()).containsEntry(DevStack.ENV_REDIS_CACHE, endpoints.redisCacheUrl());
            assertThat(endpoints.postgresUrl()).startsWith("postgresql://127.0.0.1:");
            assertThat(acceptsConnections(endpoints.postgresPort())).isTrue();
            assertThat(endpoints.toString()).doesNotContain(endpoints.postgresPassword());

            servers = recordedProcesses(stateDir);
            assertThat(servers).hasSize(4); // supervisor, redis, redis-cache, postgres
            assertThat(servers).allMatch(ProcessHandle::isAlive);
        }
        for (ProcessHandle server : servers) {
            assertThat(StaleStateReaper.isRunning(server)).as("process %s still running after close", server.pid()).isFalse();
        }
        assertThat(stateDir).doesNotExist();
        try (var left = Files.list(stateParent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void usesServersNamedInTheEnvironmentInsteadOfStartingItsOwn() {
        DevStackOptions own = DevStackOptions.defaults().withEnvironment(Map.of()).withStateParent(stateParent);
        try (DevStack first = DevStack.start(own)) {
            DevStackOptions external = own.withEnvironment(first.endpoints().environment());
            try (DevStack second = DevStack.start(external)) {
                assertThat(second.stateDir()).isEmpty();
                assertThat(second.endpoints()).isEqualTo(first.endpoints());
            }
            assertThat(first.isAlive()).as("closing the borrowing devstack must not stop the owner's servers").isTrue();
        }
    }

    @Test
    void aPortClashFailsWithOneErrorNamingTheServerAndItsLog() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Kafka and PostgreSQL come from the environment only so that this test starts quickly.
            DevStackOptions options = DevStackOptions.defaults()
                    .withEnvironment(Map.of(DevStack.ENV_KAFKA, "127.0.0.1:9", DevStack.ENV_POSTGRES_URL, "postgresql://127.0.0.1:9/x"))
                    .withStateParent(stateParent)
                    .withRedisPort(taken.getLocalPort());
            assertThatThrownBy(() -> DevStack.start(options))
                    .isInstanceOf(DevStackException.class)
                    .hasMessageStartingWith("redis failed to start")
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("Failed listening on port " + taken.getLocalPort())
                    .hasMessageContaining("redis.log");
        }
        try (var states = Files.list(stateParent)) {
            Path kept = states.findFirst().orElseThrow();
            assertThat(kept.resolve("logs/redis.log")).content().contains("Address in use");
            assertThat(kept.resolve("tmp")).doesNotExist();
        }
    }

    @Test
    void crashesRedisAndPostgresAndStartsThemAgainOnTheirPorts() throws Exception {
        DevStackOptions options = DevStackOptions.defaults().withEnvironment(Map.of()).withStateParent(stateParent);
        Vertx vertx = Vertx.vertx();
        try (DevStack stack = DevStack.start(options)) {
            Endpoints endpoints = stack.endpoints();
            int redisPort = URI.create(endpoints.redisUrl()).getPort();
            assertThat(redisCommand(redisPort, "SET kept yes")).startsWith("+OK");
            PgConnectOptions database = new PgConnectOptions().setHost("127.0.0.1").setPort(endpoints.postgresPort())
                    .setDatabase("misalign").setUser(endpoints.postgresUser()).setPassword(endpoints.postgresPassword());
            PgConnection before = await(PgConnection.connect(vertx, database));
            await(before.query("CREATE TABLE survivors (name text)").execute());
            await(before.query("INSERT INTO survivors VALUES ('committed before the crash')").execute());
            long redisPid = Long.parseLong(pids(stack.stateDir().orElseThrow()).getProperty("redis"));

            stack.crashAndRestart(DevStack.Server.REDIS, java.time.Duration.ofMillis(500));
            stack.crashAndRestart(DevStack.Server.POSTGRES, java.time.Duration.ofMillis(500));

            // Redis: a new process on the same port, empty
            assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(pids(stack.stateDir().orElseThrow()).getProperty("redis")).isNotEqualTo(String.valueOf(redisPid));
            assertThat(redisCommand(redisPort, "PING")).startsWith("+PONG");
            assertThat(redisCommand(redisPort, "GET kept")).startsWith("$-1");
            // PostgreSQL: the old connection is gone, the committed row is back after crash recovery
            assertThatThrownBy(() -> await(before.query("SELECT 1").execute())).isNotNull();
            PgConnection after = await(PgConnection.connect(vertx, database));
            RowSet<Row> rows = await(after.query("SELECT name FROM survivors").execute());
            assertThat(rows.iterator().next().getString(0)).isEqualTo("committed before the crash");
            await(after.close());
        } finally {
            await(vertx.close());
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Properties pids(Path stateDir) throws IOException {
        Properties pids = new Properties();
        try (var reader = Files.newBufferedReader(stateDir.resolve(DevStack.PIDS_FILE))) {
            pids.load(reader);
        }
        return pids;
    }

    private static List<ProcessHandle> recordedProcesses(Path stateDir) throws IOException {
        Properties pids = pids(stateDir);
        return pids.stringPropertyNames().stream()
                .map(name -> ProcessHandle.of(Long.parseLong(pids.getProperty(name))).orElseThrow())
                .toList();
    }

    private static String redisCommand(int port, String command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII);
        }
    }

    /** The whole reply to a command, however long: the server closes the connection after it (QUIT). */
    private static String redisReplies(int port, String command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write((command + "\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
