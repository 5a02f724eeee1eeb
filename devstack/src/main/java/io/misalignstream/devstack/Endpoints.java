package io.misalignstream.devstack;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the servers listen: Kafka, Redis for durable state ({@code redisUrl}), Redis for the LLM answer caches
 * ({@code redisCacheUrl}, the same as {@code redisUrl} when one Redis serves both), PostgreSQL. {@code postgresUrl} is
 * {@code postgresql://host:port/database}, the form Quarkus's reactive client takes; {@link #postgresJdbcUrl()} gives
 * the JDBC form.
 */
public record Endpoints(String kafkaBootstrapServers, String redisUrl, String redisCacheUrl, String postgresUrl,
                        String postgresUser, String postgresPassword) {

    public String postgresJdbcUrl() {
        return "jdbc:" + postgresUrl;
    }

    public String postgresHost() {
        return URI.create(postgresUrl).getHost();
    }

    public int postgresPort() {
        return URI.create(postgresUrl).getPort();
    }

    /** The configuration every service's Quarkus application needs to reach these servers. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafkaBootstrapServers);
        config.put("quarkus.redis.hosts", redisUrl);
        config.put("quarkus.datasource.reactive.url", postgresUrl);
        config.put("quarkus.datasource.username", postgresUser);
        config.put("quarkus.datasource.password", postgresPassword);
        return config;
    }

    /** The same as environment variables, the form {@link DevStack} itself reads back. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(DevStack.ENV_KAFKA, kafkaBootstrapServers);
        environment.put(DevStack.ENV_REDIS, redisUrl);
        environment.put(DevStack.ENV_REDIS_CACHE, redisCacheUrl);
        environment.put(DevStack.ENV_POSTGRES_URL, postgresUrl);
        environment.put(DevStack.ENV_POSTGRES_USER, postgresUser);
        environment.put(DevStack.ENV_POSTGRES_PASSWORD, postgresPassword);
        return environment;
    }

    /** For logs and screens: everything but the password. */
    @Override
    public String toString() {
        return "kafka=" + kafkaBootstrapServers + " redis=" + redisUrl + " redis-cache=" + redisCacheUrl + " postgres=" + postgresUrl
                + " (user " + postgresUser + ")";
    }
}
