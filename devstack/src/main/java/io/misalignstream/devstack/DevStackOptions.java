package io.misalignstream.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to start the devstack.
 *
 * @param partitions   partitions of every topic it creates (default 4: four replicas of a stage can share the work)
 * @param startTimeout how long the servers may take to come up (default 3 minutes: Kafka on a busy 2-core machine)
 * @param stateParent  folder under which the run's state folder (logs, data, temp files) is made; removed on close
 * @param redisPort    loopback port for Redis, or 0 for any free port
 * @param environment  where {@code KAFKA_BOOTSTRAP_SERVERS}, {@code REDIS_URL}, {@code POSTGRES_URL},
 *                     {@code POSTGRES_USER} and {@code POSTGRES_PASSWORD} are read: a server named there is
 *                     used instead of starting one
 */
public record DevStackOptions(int partitions, Duration startTimeout, Path stateParent, int redisPort,
                             Map<String, String> environment) {

    public static final int DEFAULT_PARTITIONS = 4;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);

    public DevStackOptions {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (redisPort < 0 || redisPort > 65_535) {
            throw new IllegalArgumentException("redisPort must be 0 (any free port) or a TCP port, was " + redisPort);
        }
        environment = Map.copyOf(environment);
    }

    public static DevStackOptions defaults() {
        return new DevStackOptions(DEFAULT_PARTITIONS, DEFAULT_START_TIMEOUT,
                Path.of(System.getProperty("java.io.tmpdir")), 0, System.getenv());
    }

    public DevStackOptions withPartitions(int partitions) {
        return new DevStackOptions(partitions, startTimeout, stateParent, redisPort, environment);
    }

    public DevStackOptions withEnvironment(Map<String, String> environment) {
        return new DevStackOptions(partitions, startTimeout, stateParent, redisPort, environment);
    }

    public DevStackOptions withRedisPort(int redisPort) {
        return new DevStackOptions(partitions, startTimeout, stateParent, redisPort, environment);
    }

    public DevStackOptions withStateParent(Path stateParent) {
        return new DevStackOptions(partitions, startTimeout, stateParent, redisPort, environment);
    }
}
