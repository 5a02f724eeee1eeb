package io.misalignstream.simhash;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;

/**
 * Remembers in Redis that an index name's data is whole: set when its first index is started on an
 * empty pipeline and after a rebuild, gone when Redis loses its data. A scope with no index under a
 * present registry is simply new (a domain seen for the first time) and may start empty; under an absent
 * one, the data was lost and the scope waits for {@code misalign dedup rebuild}. Key:
 * {@code misalign:dedup:{NAME}:registry}.
 */
public final class IndexRegistry {

    private final Redis redis;
    private final String key;
    private final Duration timeout;

    public IndexRegistry(Redis redis, String indexName, Duration timeout) {
        this.redis = redis;
        this.key = "misalign:dedup:{" + indexName + "}:registry";
        this.timeout = timeout;
    }

    public boolean exists() {
        return send(Request.cmd(Command.EXISTS).arg(key)).toLong() == 1L;
    }

    public void mark() {
        send(Request.cmd(Command.SET).arg(key).arg("1"));
    }

    /** Taken away while a rebuild runs, so no replica starts an empty scope meanwhile. */
    public void unmark() {
        send(Request.cmd(Command.DEL).arg(key));
    }

    private Response send(Request request) {
        return RedisIndexStore.await(redis.send(request).toCompletionStage().toCompletableFuture(), timeout);
    }
}
