package io.misalignstream.evaluator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.misalignstream.contracts.event.Verdict;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import io.misalignstream.evaluator.domain.StoredVerdict;
import io.misalignstream.evaluator.domain.WorkItem;
import io.misalignstream.evaluator.repository.EvaluationRun;
import io.misalignstream.evaluator.repository.EvaluationStore;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.MisalignmentJudge;
import io.misalignstream.inference.TargetAnswer;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.resilience.TransientFailure;
import io.misalignstream.resilience.UntilAvailable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Asks the targets. Each target has its own workers, as many as it may answer at once, shared by the runs and the
 * streaming mode. A question whose target cannot answer now is asked again with back-off until it is answered; its
 * verdict goes to the {@link VerdictWriter}. The workers only ask: the run's questions are read, and its verdicts
 * stored, on a Vert.x context without any thread waiting for PostgreSQL. A run's questions are what its pairs, targets and repeats call for minus
 * the verdicts already stored, so a run resumed after a restart asks only what is missing.
 */
// Created at start-up: loading the embedded model takes seconds, which no event loop may wait for.
@Startup
@ApplicationScoped
public class EvaluationEngine {

    private static final Logger LOG = Logger.getLogger(EvaluationEngine.class);

    private final EvaluatorBackends targets;
    private final EvaluationStore store;
    private final VerdictWriter writer;
    private final MeterRegistry metrics;
    private final Map<String, ExecutorService> workers = new HashMap<>();
    private final Map<String, Timer> latency = new HashMap<>();
    private final Map<String, UntilAvailable> untilAnswered = new HashMap<>();
    private final Map<String, AtomicBoolean> answering = new HashMap<>();
    private final Map<WorkItem, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final BatchDrain drain;

    public EvaluationEngine(EvaluatorBackends targets, EvaluationStore store, VerdictWriter writer, EvaluatorConfig config, MeterRegistry metrics,
                            BatchDrain drain) {
        this.drain = drain;
        this.targets = targets;
        this.store = store;
        this.writer = writer;
        this.metrics = metrics;
        targets.all().forEach((name, judge) -> {
            AtomicInteger threads = new AtomicInteger();
            workers.put(name, Executors.newFixedThreadPool(judge.parallelism(), task -> {
                Thread thread = new Thread(task, "evaluator-" + name + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }));
            latency.put(name, Timer.builder("misalign.evaluator.target.latency").tag("target", name)
                    .description("Time to a verdict, retries included").publishPercentiles(0.5, 0.95, 0.99).register(metrics));
            AtomicBoolean answered = new AtomicBoolean(true);
            answering.put(name, answered);
            Counter unavailable = Counter.builder("misalign.evaluator.target.unavailable").tag("target", name)
                    .description("Calls the target could not answer (timeout, 5xx, 429); each asked again").register(metrics);
            untilAnswered.put(name, new UntilAvailable(config.retry().backOff(), TransientFailure::isTransient, new UntilAvailable.Listener() {
                @Override
                public void unavailable(Throwable failure, Duration retryIn) {
                    answered.set(false);
                    unavailable.increment();
                    LOG.debugf("target %s cannot answer now (%s); asking again in %d ms", name, failure.getMessage(), retryIn.toMillis());
                }

                @Override
                public void available() {
                    answered.set(true);
                }
            }));
        });
    }

    /** Per target, whether its last question was answered; readiness reports it. */
    public Map<String, Boolean> targetsAnswering() {
        Map<String, Boolean> now = new TreeMap<>();
        answering.forEach((target, answered) -> now.put(target, answered.get()));
        return now;
    }

    // Before the listeners' batches are drained, and before the verdict writer's own stop (default priority), so that
    // the verdicts of the questions finished here are stored.
    void stop(@Observes @Priority(BatchDrain.STOP_WORKERS_FIRST) ShutdownEvent stopping) throws InterruptedException {
        // questions not started yet are not asked (stopping); those being asked are answered within the stop's deadline,
        // so that no paid answer is thrown away and asked again after the restart
        this.stopping.set(true);
        for (ExecutorService pool : workers.values()) {
            drain.finish(pool, "questions being asked");
        }
    }

    /**
     * Asks every question of the run that has no stored verdict, narrowed to {@code promptIds} when not empty; the
     * future completes when each has its verdict stored. A question already being asked (for the same run, by an
     * earlier call) is not asked twice: its future is shared. The future fails if the service stops first.
     */
    public CompletableFuture<Void> evaluate(EvaluationRun run, Collection<String> promptIds) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String target : run.targets) {
            MisalignmentJudge judge = targets.named(target).orElse(null);
            if (judge == null) {
                LOG.warnf("run %s names the target %s, which is not configured now: its questions wait until it is", run.runId, target);
                continue;
            }
            all.add(store.isolated(() -> store.pending(run, target, promptIds)).subscribeAsCompletionStage()
                    .thenCompose(items -> CompletableFuture.allOf(items.stream().map(item -> asked(judge, item)).toArray(CompletableFuture[]::new))));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> asked(MisalignmentJudge judge, WorkItem item) {
        if (stopping.get()) {
            return CompletableFuture.failedFuture(new CancellationException("the service stops: asked again after the restart"));
        }
        return inFlight.computeIfAbsent(item, question -> {
            CompletableFuture<Void> stored = CompletableFuture.supplyAsync(() -> ask(judge, question), workers.get(question.target()))
                    .thenCompose(verdict -> writer.write(verdict));
            stored.whenComplete((done, failure) -> inFlight.remove(question));
            return stored;
        });
    }

    private StoredVerdict ask(MisalignmentJudge judge, WorkItem item) {
        if (stopping.get()) {
            throw new CancellationException("the service stops: asked again after the restart");
        }
        long started = System.nanoTime();
        TargetAnswer answer;
        try {
            answer = untilAnswered.get(item.target()).call(() -> judge.judge(item.prompt(), item.response(), item.repeat()));
        } catch (InvalidAnswerException e) {
            // the endpoint refused this request (e.g. beyond its context): no retry helps, and it is the target's answer
            answer = new TargetAnswer(Verdict.INVALID, e.getMessage(), false);
        } catch (InterruptedException e) {
            // the service stops: the question stays unanswered and is asked again after the restart
            Thread.currentThread().interrupt();
            throw new CancellationException("the service stops: asked again after the restart");
        }
        latency.get(item.target()).record(Duration.ofNanos(System.nanoTime() - started));
        count(item.target(), answer.verdict());
        return new StoredVerdict(item, answer.verdict(), answer.answer(), Instant.now());
    }

    private void count(String target, Verdict verdict) {
        Counter.builder("misalign.evaluator.verdicts").tag("target", target).tag("verdict", verdict.json())
                .description("Verdicts given by the targets").register(metrics).increment();
    }
}
