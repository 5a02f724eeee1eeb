package io.misalignstream.evaluator.service;

import io.misalignstream.evaluator.repository.EvaluationStore;
import io.misalignstream.evaluator.repository.EvaluationRun;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import io.misalignstream.messaging.RetryOnContext;
import io.misalignstream.resilience.PostgresRefusal;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Runs and the streaming mode: creates a run over a split and has it evaluated, resumes the unfinished ones at
 * start-up, adds every newly stored pair to the streaming run and has it evaluated, and finishes a run once each of its
 * verdicts is stored.
 */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final EvaluationStore store;
    private final EvaluationEngine engine;
    private final EvaluatorBackends targets;
    private final EvaluatorConfig config;
    private final MetricsPublisher publisher;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    public RunService(EvaluationStore store, EvaluationEngine engine, EvaluatorBackends targets, EvaluatorConfig config,
                      MetricsPublisher publisher) {
        this.store = store;
        this.engine = engine;
        this.targets = targets;
        this.config = config;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent started) {
        List<String> streaming = config.streaming().enabled() ? streamingTargets() : List.of();
        RetryOnContext retry = new RetryOnContext(config.retry().backOff(), config.retry().storeTimeout());
        store.isolated(() -> retry.untilDone(() -> config.streaming().enabled()
                                ? store.ensureStreamingRun(streaming, config.streaming().repeats()) : Uni.createFrom().voidItem(),
                        failure -> true, (failure, retryIn) -> LOG.warnf("cannot create the streaming run (%s); trying again in %d ms",
                                PostgresRefusal.reason(failure), retryIn.toMillis()))
                        .invoke(() -> ready.complete(null))
                        .chain(store::runs))
                .subscribe().with(runs -> runs.stream().filter(run -> run.state != EvaluationRun.State.FINISHED).forEach(run -> {
                    LOG.infof("resuming run %s", run.runId);
                    launch(run, List.of());
                }), failure -> LOG.errorf(failure, "cannot read the runs to resume; they resume at the next start"));
    }

    /**
     * Completes once the streaming run exists (at start-up, at once without the streaming mode): pairs are stored, and
     * join it, only then, as its row is what they point at.
     */
    public CompletionStage<Void> ready() {
        return ready;
    }

    /** A run that would ask more questions than one replica may hold in memory. */
    public static final class RunTooLargeException extends RuntimeException {
        RunTooLargeException(String message) {
            super(message);
        }
    }

    /** The streaming run's name, when the streaming mode is on. */
    public Optional<String> streamingRun() {
        return config.streaming().enabled() ? Optional.of(EvaluationRun.STREAMING) : Optional.empty();
    }

    /** Has the streaming run evaluate pairs just stored (and joined to it). */
    public void streamed(List<AcceptedPair> pairs) {
        if (!config.streaming().enabled() || pairs.isEmpty()) {
            return;
        }
        List<String> ids = pairs.stream().map(pair -> pair.prompt().id()).distinct().toList();
        store.isolated(() -> store.run(EvaluationRun.STREAMING)).subscribe().with(
                run -> run.ifPresent(streaming -> launch(streaming, ids)),
                failure -> LOG.warnf("cannot read the streaming run (%s); its new pairs are evaluated at the next start", failure.getMessage()));
    }

    /**
     * Creates a run over the pairs the split holds now and starts it.
     *
     * @throws IllegalArgumentException for an unknown target or a repeat count below 1; the Uni fails with
     *                                  {@link RunTooLargeException} for a run over {@code evaluator.max-run-questions}
     */
    public Uni<EvaluationRun> create(Split split, List<String> targetNames, Integer repeats) {
        List<String> chosen = targetNames == null || targetNames.isEmpty() ? targets.names() : List.copyOf(targetNames);
        for (String name : chosen) {
            if (targets.named(name).isEmpty()) {
                throw new IllegalArgumentException("targets: '" + name + "' is not a configured target (" + String.join(", ", targets.names()) + ")");
            }
        }
        int times = repeats == null ? config.repeats() : repeats;
        if (times < 1 || times > 100) {
            throw new IllegalArgumentException("repeats: " + times + " is not between 1 and 100");
        }
        EvaluationRun run = new EvaluationRun();
        Instant now = Instant.now();
        run.runId = "run-" + RUN_TIME.format(now) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        run.split = split.json();
        run.targets = List.copyOf(chosen);
        run.repeats = times;
        run.state = EvaluationRun.State.RUNNING;
        run.createdAt = now;
        return store.pairCount(run.split).invoke(pairs -> {
            long questions = pairs * chosen.size() * times * 2L;
            if (questions > config.maxRunQuestions()) {
                throw new RunTooLargeException(String.format(Locale.ROOT,
                        "%,d pairs x %d targets x %d repeats x 2 = %,d questions, over evaluator.max-run-questions (%,d): choose fewer targets or repeats",
                        pairs, chosen.size(), times, questions, config.maxRunQuestions()));
            }
        }).chain(() -> store.createRun(run)).invoke(pairs -> {
            LOG.infof("run %s: %d pairs of %s x %s x %d repeats", run.runId, pairs, run.split, chosen, times);
            launch(run, List.of());
        }).replaceWith(run);
    }

    private void launch(EvaluationRun run, Collection<String> promptIds) {
        engine.evaluate(run, promptIds).whenComplete((done, failure) -> {
            if (failure != null) {
                if (failure.getCause() instanceof CancellationException || failure instanceof CancellationException) {
                    LOG.infof("run %s stopped with the service; it resumes at the next start", run.runId);
                } else {
                    LOG.errorf(failure, "run %s stopped; it resumes at the next start", run.runId);
                }
                return;
            }
            // a target missing from the configuration keeps its questions, and the run, open until it is back
            if (run.state == EvaluationRun.State.RUNNING && run.targets.stream().allMatch(name -> targets.named(name).isPresent())) {
                finish(run);
            }
        });
    }

    /** Every verdict of the run is stored: the run is marked finished and its figures published a last time. */
    private void finish(EvaluationRun run) {
        store.isolated(() -> store.finish(run.runId)
                        .invoke(() -> LOG.infof("run %s finished", run.runId))
                        .chain(() -> publisher.publish(run.runId, true)))
                .subscribe().with(published -> {
                }, failure -> LOG.errorf(failure, "run %s: every verdict is stored, but it could not be marked finished; it is at the next start",
                        run.runId));
    }

    private List<String> streamingTargets() {
        List<String> names = new ArrayList<>(config.streaming().targets().orElse(targets.names()));
        names.removeIf(name -> {
            boolean unknown = targets.named(name).isEmpty();
            if (unknown) {
                LOG.warnf("evaluator.streaming.targets names %s, which is not a configured target: left out", name);
            }
            return unknown;
        });
        return names;
    }
}
