package io.misalignstream.cli.demo;

import io.misalignstream.cli.topics.TopicStatistics;
import io.misalignstream.contracts.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Follows the pipeline through Kafka, one progress line per poll, until the stream has drained: every stage's
 * consumer group has read all of its topic, no topic has grown for the quiet period, and the streaming evaluation
 * has every verdict it expects. The quiet period must outlast the expander's sweep interval: between sweeps the
 * topics are still while a domain may yet be due.
 */
public final class DrainWatch {

    /** The consumer group of each stage and the topic it reads, in flow order. */
    public static final Map<String, String> GROUPS = orderedGroups();

    /** Verdicts stored and expected of the streaming evaluation. */
    public record Verdicts(long stored, long expected) {
    }

    /** How the watch ended: drained, or the time ran out, with the last snapshot either way. */
    public record Outcome(boolean drained, TopicStatistics.Snapshot last, Duration elapsed) {
    }

    private final String bootstrapServers;
    private final Supplier<Verdicts> verdicts;
    private final Duration interval;
    private final Duration quiet;
    private final PrintStream log;

    public DrainWatch(String bootstrapServers, Supplier<Verdicts> verdicts, Duration interval, Duration quiet, PrintStream log) {
        this.bootstrapServers = bootstrapServers;
        this.verdicts = verdicts;
        this.interval = interval;
        this.quiet = quiet;
        this.log = log;
    }

    /**
     * @param alive         checked every poll: a non-null answer (which service exited) stops the watch with an exception
     * @param expanderSwept whether the expander has checked every domain once: before that, a still stream is not done
     */
    public Outcome await(long ingested, Duration timeout, Supplier<String> alive, java.util.function.BooleanSupplier expanderSwept)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        List<Long> lastCounts = List.of();
        long stableSince = System.nanoTime();
        TopicStatistics.Snapshot snapshot = null;
        while (true) {
            String exited = alive.get();
            if (exited != null) {
                throw new IllegalStateException(exited);
            }
            snapshot = TopicStatistics.read(bootstrapServers);
            Verdicts streamed = verdicts.get();
            long now = System.nanoTime();
            // metrics.events is the evaluator's periodic output, not the stream's
            List<Long> counts = snapshot.topics().stream().filter(t -> !t.topic().equals(Topics.METRICS_EVENTS))
                    .map(TopicStatistics.TopicCount::records).toList();
            if (!counts.equals(lastCounts)) {
                lastCounts = counts;
                stableSince = now;
            }
            log.println(line(snapshot, streamed, Duration.ofNanos(now - started)));
            log.flush();
            boolean caughtUp = snapshot.records(Topics.PROMPTS_INGESTED) >= ingested && allRead(snapshot)
                    && (streamed == null || streamed.stored() >= streamed.expected());
            if (caughtUp && now - stableSince >= quiet.toNanos() && expanderSwept.getAsBoolean()) {
                return new Outcome(true, snapshot, Duration.ofNanos(now - started));
            }
            if (now > deadline) {
                return new Outcome(false, snapshot, Duration.ofNanos(now - started));
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** Every group whose topic has records has committed up to its end (a group commits only once it has read something). */
    static boolean allRead(TopicStatistics.Snapshot snapshot) {
        for (Map.Entry<String, String> group : GROUPS.entrySet()) {
            if (snapshot.records(group.getValue()) == 0) {
                continue;
            }
            Long lag = lag(snapshot, group.getKey(), group.getValue());
            if (lag == null || lag > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code demo 0:42  classifier 200→200 lag 0 | expander →310 lag 0 | dedup →280 +30 dup lag 0 | sampler →150 +5 rejected
     * lag 12 | evaluator lag 0, 120 of 300 verdicts | dead letters 0}.
     */
    static String line(TopicStatistics.Snapshot snapshot, Verdicts verdicts, Duration elapsed) {
        long deadLetters = snapshot.topics().stream().filter(t -> t.topic().endsWith(Topics.DEAD_LETTER_SUFFIX))
                .mapToLong(TopicStatistics.TopicCount::records).sum();
        return String.format(Locale.ROOT, "demo %d:%02d  ingested %,d | classifier →%,d %s | expander →%,d %s | dedup →%,d +%,d dup %s"
                        + " | sampler →%,d +%,d rejected %s | dataset %s | evaluator %s%s | dead letters %,d",
                elapsed.toMinutes(), elapsed.toSecondsPart(),
                snapshot.records(Topics.PROMPTS_INGESTED),
                snapshot.records(Topics.PROMPTS_CLASSIFIED), lagText(snapshot, "classifier-service"),
                snapshot.records(Topics.PROMPTS_CANDIDATES), lagText(snapshot, "expander-service"),
                snapshot.records(Topics.PROMPTS_UNIQUE), snapshot.records(Topics.PROMPTS_DUPLICATES), lagText(snapshot, "dedup-service"),
                snapshot.records(Topics.PAIRS_ACCEPTED), snapshot.records(Topics.PAIRS_REJECTED), lagText(snapshot, "sampler-service"),
                lagText(snapshot, "sampler-dataset-writer"), lagText(snapshot, "evaluator-service"),
                verdicts == null ? "" : String.format(Locale.ROOT, ", %,d of %,d verdicts", verdicts.stored(), verdicts.expected()),
                deadLetters);
    }

    private static String lagText(TopicStatistics.Snapshot snapshot, String group) {
        Long lag = lag(snapshot, group, GROUPS.get(group));
        return lag == null ? "(idle)" : "lag " + String.format(Locale.ROOT, "%,d", lag);
    }

    private static Long lag(TopicStatistics.Snapshot snapshot, String group, String topic) {
        return snapshot.lags().stream().filter(l -> l.group().equals(group) && l.topic().equals(topic))
                .map(TopicStatistics.GroupLag::lag).findFirst().orElse(null);
    }

    private static Map<String, String> orderedGroups() {
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        groups.put("classifier-service", Topics.PROMPTS_INGESTED);
        groups.put("expander-service", Topics.PROMPTS_CLASSIFIED);
        groups.put("dedup-service", Topics.PROMPTS_CANDIDATES);
        groups.put("sampler-service", Topics.PROMPTS_UNIQUE);
        groups.put("sampler-dataset-writer", Topics.PAIRS_ACCEPTED);
        groups.put("evaluator-service", Topics.PAIRS_ACCEPTED);
        return java.util.Collections.unmodifiableMap(groups);
    }
}
