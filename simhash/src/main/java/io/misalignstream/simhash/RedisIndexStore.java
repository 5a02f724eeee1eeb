package io.misalignstream.simhash;

import com.dynatrace.hash4j.hashing.Hashing;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store in Redis. Keys, all under one hash tag so that a Redis Cluster keeps them in one slot
 * (the index then lives on one node: simple and atomic, at the cost of not spreading one scope's index
 * over the cluster; separate scopes land on separate slots):
 * <ul>
 *   <li>{@code misalign:dedup:{SCOPE}:log}: a string, the accepted entries ({@link LogEntries}), 153 bytes
 *       each for ingested ids with their signatures (25 in fingerprint version 1);</li>
 *   <li>{@code misalign:dedup:{SCOPE}:epoch}: a random token naming this generation of the index;</li>
 *   <li>{@code misalign:dedup:{SCOPE}:ids:N}: hashes from id to decision ({@code u}, or
 *       {@code d<offset>:<distance>}, with the similarity from version 2 on: {@link DecisionValue}),
 *       the id spread over N buckets by its XXH3 hash so that each hash
 *       stays small enough for Redis's compact listpack encoding ({@code hash-max-listpack-entries},
 *       default 128: size the buckets at about expected prompts / 64).</li>
 * </ul>
 * Decisions are committed by the Redis Function in {@code dedup.lua}.
 */
public final class RedisIndexStore implements IndexStore {

    public static final int DEFAULT_BUCKETS = 16_384;
    private static final String LIBRARY = "/io/misalignstream/simhash/dedup.lua";

    private final Redis redis;
    private final String log;
    private final String epochKey;
    private final String bucketPrefix;
    private final int buckets;
    private final Duration timeout;

    public RedisIndexStore(Redis redis, String scope, int buckets, Duration timeout) {
        if (Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("bucket count must be a power of two, was " + buckets);
        }
        this.redis = redis;
        String prefix = "misalign:dedup:{" + scope + "}:";
        this.log = prefix + "log";
        this.epochKey = prefix + "epoch";
        this.bucketPrefix = prefix + "ids:";
        this.buckets = buckets;
        this.timeout = timeout;
        loadFunctions();
    }

    /** Loads (or replaces with the same code) the Redis Function library; safe to call from every replica. */
    public void loadFunctions() {
        try (InputStream in = RedisIndexStore.class.getResourceAsStream(LIBRARY)) {
            String code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            send(Request.cmd(Command.FUNCTION).arg("LOAD").arg("REPLACE").arg(code));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIBRARY, e);
        }
    }

    public String logKey() {
        return log;
    }

    @Override
    public State state() {
        List<Response> responses = batch(List.of(Request.cmd(Command.GET).arg(epochKey), Request.cmd(Command.STRLEN).arg(log)));
        return new State(text(responses.get(0)), responses.get(1).toLong());
    }

    @Override
    public Chunk read(long from, int maxBytes) {
        List<Response> responses = batch(List.of(
                Request.cmd(Command.GET).arg(epochKey),
                Request.cmd(Command.GETRANGE).arg(log).arg(from).arg(from + maxBytes - 1),
                Request.cmd(Command.STRLEN).arg(log)));
        Response bytes = responses.get(1);
        return new Chunk(text(responses.get(0)), from, bytes == null ? new byte[0] : bytes.toBytes(), responses.get(2).toLong());
    }

    @Override
    public CommitResult commit(String epoch, long expectedLength, List<Pending> decisions) {
        Map<String, Integer> keyIndexes = new LinkedHashMap<>();
        byte[][] idBytes = new byte[decisions.size()][];
        int[] keyIndexOf = new int[decisions.size()];
        for (int i = 0; i < decisions.size(); i++) {
            idBytes[i] = LogEntries.decisionField(decisions.get(i).id());
            keyIndexOf[i] = keyIndexes.computeIfAbsent(bucketKey(idBytes[i]), key -> keyIndexes.size() + 3);
        }
        Request request = Request.cmd(Command.FCALL).arg("misalign_dedup_commit_v1").arg(2 + keyIndexes.size())
                .arg(log).arg(epochKey);
        keyIndexes.keySet().forEach(request::arg);
        request.arg(epoch).arg(expectedLength).arg(decisions.size());
        byte[] noEntry = new byte[0];
        for (int i = 0; i < decisions.size(); i++) {
            Pending decision = decisions.get(i);
            request.arg(keyIndexOf[i]).arg(idBytes[i]).arg(decision.value()).arg(decision.entry() == null ? noEntry : decision.entry());
        }
        Response response = callFunction(request);
        String outcome = response.get(0).toString();
        switch (outcome) {
            case "ok":
                return new CommitResult.Committed(response.get(1).toLong());
            case "stale":
                return new CommitResult.Stale(response.get(1).toLong());
            case "lost":
                return new CommitResult.Lost(response.get(1).toString());
            case "known":
                Map<String, String> idOf = new HashMap<>();
                for (int i = 0; i < decisions.size(); i++) {
                    idOf.put(HexFormat.of().formatHex(idBytes[i]), decisions.get(i).id());
                }
                Map<String, String> known = new HashMap<>();
                for (int i = 1; i + 1 < response.size(); i += 2) {
                    String id = idOf.get(HexFormat.of().formatHex(response.get(i).toBytes()));
                    if (id != null) {
                        known.put(id, response.get(i + 1).toString());
                    }
                }
                return new CommitResult.AlreadyDecided(known);
            default:
                throw new IllegalStateException("unexpected answer from the dedup function: " + outcome);
        }
    }

    @Override
    public boolean initialize(String epoch) {
        Response response = callFunction(Request.cmd(Command.FCALL).arg("misalign_dedup_initialize_v1").arg(2)
                .arg(log).arg(epochKey).arg(epoch));
        return response.toLong() == 1L;
    }

    @Override
    public void clear() {
        List<Request> deletes = new ArrayList<>();
        deletes.add(Request.cmd(Command.DEL).arg(epochKey).arg(log));
        for (int from = 0; from < buckets; from += 1024) {
            Request delete = Request.cmd(Command.DEL);
            for (int bucket = from; bucket < Math.min(buckets, from + 1024); bucket++) {
                delete.arg(bucketPrefix + bucket);
            }
            deletes.add(delete);
        }
        batch(deletes);
    }

    @Override
    public void restore(List<Pending> decisions) {
        if (decisions.isEmpty()) {
            return;
        }
        List<Request> requests = new ArrayList<>();
        java.io.ByteArrayOutputStream entries = new java.io.ByteArrayOutputStream();
        Map<String, Request> byBucket = new LinkedHashMap<>();
        for (Pending decision : decisions) {
            if (decision.entry() != null) {
                entries.writeBytes(decision.entry());
            }
            byte[] field = LogEntries.decisionField(decision.id());
            byBucket.computeIfAbsent(bucketKey(field), key -> Request.cmd(Command.HSET).arg(key)).arg(field).arg(decision.value());
        }
        if (entries.size() > 0) {
            requests.add(Request.cmd(Command.APPEND).arg(log).arg(entries.toByteArray()));
        }
        requests.addAll(byBucket.values());
        batch(requests);
    }

    @Override
    public boolean open(String epoch) {
        Response response = send(Request.cmd(Command.SET).arg(epochKey).arg(epoch).arg("NX"));
        return response != null && "OK".equals(response.toString());
    }

    private String bucketKey(byte[] idBytes) {
        long hash = Hashing.xxh3_64().hashBytesToLong(idBytes);
        return bucketPrefix + (hash & (buckets - 1));
    }

    private static String text(Response response) {
        return response == null ? null : response.toString();
    }

    /** A Redis restarted without persistence has lost the library too: load it again and call once more. */
    private Response callFunction(Request request) {
        try {
            return send(request);
        } catch (RedisUnavailableException e) {
            if (e.getMessage() == null || !e.getMessage().contains("Function not found")) {
                throw e;
            }
            loadFunctions();
            return send(request);
        }
    }

    private Response send(Request request) {
        return await(redis.send(request).toCompletionStage().toCompletableFuture());
    }

    private List<Response> batch(List<Request> requests) {
        return await(redis.batch(requests).toCompletionStage().toCompletableFuture());
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        return await(future, timeout);
    }

    /** Waits for a Redis answer; every failure becomes {@link RedisUnavailableException}, which callers retry. */
    static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RedisUnavailableException("redis: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RedisUnavailableException("redis: no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while waiting for redis", e);
        }
    }

    /** Redis did not answer; the caller pauses and retries, and accepts nothing meanwhile. */
    public static final class RedisUnavailableException extends RuntimeException {
        RedisUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
