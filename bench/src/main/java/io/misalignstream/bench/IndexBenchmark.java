package io.misalignstream.bench;

import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.Decision;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.InMemoryIndexStore;
import io.misalignstream.simhash.IndexStore;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.RedisIndexStore;
import io.misalignstream.simhash.SetSignature;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Check-and-insert throughput of the near-duplicate index through the batch call, with N prompts
 * already indexed, against Redis and against the in-process store (the baseline of the same run),
 * and Redis's memory per indexed prompt from its own INFO memory.
 *
 * <p>Usage: {@code IndexBenchmark [INDEXED] [MEASURED] [BATCH] [RULE...]}, a rule being {@code k<N>} (Hamming
 * only, fingerprint version 1) or {@code v<LENGTH>} (the default verified rule, every text of that many normalised
 * characters: 100 searches within 10 bits, 25 within 16; each with a text digest, as ids are bound to their texts);
 * default {@code k10 v100 v25}. The environment variable
 * {@code INDEX_NEAR_DUPLICATE_SHARE} (default 0.5) is the share of measured candidates that are two bits from a stored
 * fingerprint (with its signature, 8 of 128 components changed), the others being new random ones.
 */
public final class IndexBenchmark {

    private static final double NEAR_DUPLICATE_SHARE =
            Double.parseDouble(System.getenv().getOrDefault("INDEX_NEAR_DUPLICATE_SHARE", "0.5"));

    public static void main(String[] args) {
        int indexed = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        List<String> thresholds = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            thresholds.add(args[i]);
        }
        if (thresholds.isEmpty()) {
            thresholds = List.of("k10", "v100", "v25");
        }
        System.out.printf(Locale.ROOT, "indexed %,d, measured %,d, batch %d, near-duplicate share %.2f%n%n", indexed, measured, batch,
                NEAR_DUPLICATE_SHARE);
        System.out.printf("lookup threads %d%n%n", Runtime.getRuntime().availableProcessors());
        System.out.println("| rule | store | fill (prompts/s) | check-and-insert (prompts/s) | ratio to in-process | duplicates found | candidates examined per lookup | Redis bytes per indexed prompt |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        try (DevStack devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()))) {
            Vertx vertx = Vertx.vertx();
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(devStack.endpoints().redisUrl()));
            for (String k : thresholds) {
                Result local = run(new InMemoryIndexStore(), k, indexed, measured, batch);
                long before = usedMemory(redis);
                Result remote = run(new RedisIndexStore(redis, "bench-" + k, RedisIndexStore.DEFAULT_BUCKETS * 8,
                        Duration.ofSeconds(30)), k, indexed, measured, batch);
                long after = usedMemory(redis);
                double perPrompt = (double) (after - before) / remote.accepted;
                System.out.printf(Locale.ROOT, "| %s | in-process | %,.0f | %,.0f | 1.00 | %,d | %,.0f | - |%n", k, local.fillRate, local.rate,
                        local.duplicates, local.examinedPerLookup);
                System.out.printf(Locale.ROOT, "| %s | Redis | %,.0f | %,.0f | %.2f | %,d | %,.0f | %.1f |%n", k, remote.fillRate, remote.rate,
                        remote.rate / local.rate, remote.duplicates, remote.examinedPerLookup, perPrompt);
                send(redis, Request.cmd(Command.FLUSHALL));
            }
            redis.close();
            vertx.close();
        }
    }

    record Result(double fillRate, double rate, long duplicates, long accepted, double examinedPerLookup) {
    }

    static Result run(IndexStore store, String setting, int indexed, int measured, int batch) {
        store.initialize("bench");
        boolean verified = setting.startsWith("v");
        int value = Integer.parseInt(setting.substring(1));
        DuplicateRule rule = verified ? DuplicateRule.verified(FingerprintConfig.DEFAULT_THRESHOLD, DuplicateRule.DEFAULT_MIN_SIMILARITY)
                : DuplicateRule.hammingOnly(value);
        NearDuplicateIndex index = new NearDuplicateIndex(store, null, rule, Runtime.getRuntime().availableProcessors());
        Random random = new Random(42);
        List<Long> stored = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        IntFunction<Candidate> fresh = i -> {
            long fingerprint = random.nextLong();
            byte[] signature = verified ? randomSignature(random) : null;
            return verified ? new Candidate(String.format("%032x", (long) i), fingerprint, signature, value, random.nextLong() | 1)
                    : new Candidate(String.format("%032x", (long) i), fingerprint);
        };
        long start = System.nanoTime();
        long accepted = 0;
        for (int from = 0; from < indexed; from += batch) {
            List<Candidate> candidates = new ArrayList<>();
            for (int i = from; i < Math.min(indexed, from + batch); i++) {
                Candidate candidate = fresh.apply(i);
                stored.add(candidate.fingerprint());
                signatures.add(candidate.signature());
                candidates.add(candidate);
            }
            for (Decision decision : index.decide(candidates)) {
                accepted += decision instanceof Decision.Unique ? 1 : 0;
            }
        }
        double fillRate = indexed / ((System.nanoTime() - start) / 1e9);
        // near-duplicates of stored prompts (two bits flipped) in the given share, new prompts otherwise
        long examinedBefore = index.candidatesExamined();
        long lookupsBefore = index.lookups();
        long duplicates = 0;
        start = System.nanoTime();
        for (int from = 0; from < measured; from += batch) {
            List<Candidate> candidates = new ArrayList<>();
            for (int i = from; i < Math.min(measured, from + batch); i++) {
                if (random.nextDouble() < NEAR_DUPLICATE_SHARE) {
                    int original = random.nextInt(stored.size());
                    long fingerprint = stored.get(original) ^ (1L << random.nextInt(64)) ^ (1L << random.nextInt(64));
                    String id = String.format("%032x", (long) indexed + i);
                    candidates.add(verified ? new Candidate(id, fingerprint, edited(signatures.get(original), random), value,
                            random.nextLong() | 1)
                            : new Candidate(id, fingerprint));
                } else {
                    candidates.add(fresh.apply(indexed + i));
                }
            }
            for (Decision decision : index.decide(candidates)) {
                if (decision instanceof Decision.Duplicate) {
                    duplicates++;
                } else {
                    accepted++;
                }
            }
        }
        double rate = measured / ((System.nanoTime() - start) / 1e9);
        double examinedPerLookup = (double) (index.candidatesExamined() - examinedBefore) / (index.lookups() - lookupsBefore);
        index.close();
        return new Result(fillRate, rate, duplicates, accepted, examinedPerLookup);
    }

    private static byte[] randomSignature(Random random) {
        byte[] signature = new byte[SetSignature.BYTES];
        random.nextBytes(signature);
        return signature;
    }

    /** A light edit's signature: 8 of the 128 components changed (estimated similarity about 0.94). */
    private static byte[] edited(byte[] signature, Random random) {
        byte[] edited = signature.clone();
        for (int i = 0; i < 8; i++) {
            edited[random.nextInt(edited.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return edited;
    }

    static long usedMemory(Redis redis) {
        String info = send(redis, Request.cmd(Command.INFO).arg("memory")).toString();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }

    private static io.vertx.redis.client.Response send(Redis redis, Request request) {
        return redis.send(request).toCompletionStage().toCompletableFuture().join();
    }
}
