package io.misalignstream.cli;

import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.Endpoints;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "devstack", mixinStandardHelpOptions = true,
        description = {"Starts real Kafka (KRaft), Redis and PostgreSQL servers on loopback, creates the topics, "
                + "and keeps them running until Ctrl-C; then stops them and removes their files.",
                "Servers named by KAFKA_BOOTSTRAP_SERVERS, REDIS_URL, REDIS_CACHE_URL or POSTGRES_URL are used instead of started."})
final class DevStackCommand implements Callable<Integer> {

    @Option(names = "--partitions", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions = DevStackOptions.DEFAULT_PARTITIONS;

    @Option(names = "--redis-port", description = "Redis port (default: any free port).")
    int redisPort;

    @Override
    public Integer call() throws InterruptedException {
        DevStack devStack = start(DevStackOptions.defaults().withPartitions(partitions).withRedisPort(redisPort), System.err);
        printEndpoints(devStack.endpoints(), System.out);
        runUntilStopped(devStack);
        return 0;
    }

    /** Blocks until Ctrl-C (or SIGTERM), then stops the servers and forgets their address. */
    static void runUntilStopped(DevStack devStack) throws InterruptedException {
        System.out.println("running; press Ctrl-C to stop");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LocalDevStackFile.delete();
            devStack.close();
            stopped.countDown();
        }, "devstack-stop"));
        stopped.await();
    }

    static DevStack start(DevStackOptions options, PrintStream log) {
        DevStack devStack = startServers(options, log);
        LocalDevStackFile.write(devStack.endpoints());
        return devStack;
    }

    /** Starts the servers without publishing them in {@code .misalign/devstack.env} (where a running devstack may be). */
    static DevStack startServers(DevStackOptions options, PrintStream log) {
        log.println("starting Kafka (KRaft), Redis and PostgreSQL ...");
        long started = System.nanoTime();
        DevStack devStack = DevStack.start(options);
        log.printf("servers ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return devStack;
    }

    static void printEndpoints(Endpoints endpoints, PrintStream out) {
        out.println("Kafka:      " + endpoints.kafkaBootstrapServers());
        out.println("Redis:      " + endpoints.redisUrl() + " (state), " + endpoints.redisCacheUrl() + " (LLM answer caches)");
        out.println("PostgreSQL: " + endpoints.postgresUrl() + " (user " + endpoints.postgresUser() + ")");
        out.println("Connection settings, password included, are in " + LocalDevStackFile.path().toAbsolutePath()
                + " (readable by you only); other misalign commands find the servers there.");
    }
}
