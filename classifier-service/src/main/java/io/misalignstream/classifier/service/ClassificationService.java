package io.misalignstream.classifier.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.misalignstream.classifier.config.ClassifierConfig;
import io.misalignstream.classifier.domain.Outcome;
import io.misalignstream.classifier.domain.PromptCheck;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.openai.OpenAiPromptClassifier;
import io.misalignstream.messaging.BatchWork;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Labels batches of ingested prompts with the configured backend, {@link PromptClassifier#parallelism()}
 * at a time. Each call is guarded: retries with exponential back-off and a circuit breaker. A prompt the
 * backend cannot label now is never refused: the batch waits, backing off, until the backend answers.
 */
@Startup // loads the model before the first batch arrives, not while it waits
@ApplicationScoped
public class ClassificationService {

    private static final Logger LOG = Logger.getLogger(ClassificationService.class);

    private final PromptClassifier classifier;
    private final PromptCheck check;
    private final TypedGuard<Labels> guard;
    private final ExecutorService workers;
    private final BatchWork batches;
    private final MeterRegistry metrics;
    private final Timer latency;
    private final Counter unavailable;
    private final Counter refused;
    private final AtomicInteger circuitState = new AtomicInteger();
    private final Counter circuitOpenings;

    public ClassificationService(PromptClassifier classifier, ClassifierConfig config, MeterRegistry metrics) {
        this.classifier = classifier;
        this.check = new PromptCheck(config.maxTextBytes());
        this.metrics = metrics;
        this.circuitOpenings = Counter.builder("misalign.classifier.backend.circuit.openings")
                .description("Times the circuit breaker stopped calls to the backend").register(metrics);
        Gauge.builder("misalign.classifier.backend.circuit.state", circuitState, AtomicInteger::get)
                .description("The backend's circuit breaker: 0 closed, 1 open, 2 half-open").register(metrics);
        if (classifier instanceof OpenAiPromptClassifier endpoint) {
            FunctionCounter.builder("misalign.classifier.reasks", endpoint, OpenAiPromptClassifier::reasks)
                    .description("Answers that were invalid and asked for again with the validation error").register(metrics);
        }
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(classifier.parallelism(), task -> {
            Thread thread = new Thread(task, "classifier-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.batches = new BatchWork(workers, config.retry().initialDelay(), config.retry().maxDelay());
        this.latency = Timer.builder("misalign.classifier.backend.latency")
                .description("Time to label one prompt, retries included").publishPercentiles(0.5, 0.95, 0.99).register(metrics);
        this.unavailable = Counter.builder("misalign.classifier.backend.errors").tag("kind", "unavailable")
                .description("Backend calls that failed for now (timeout, 5xx, 429, circuit open)").register(metrics);
        this.refused = Counter.builder("misalign.classifier.backend.errors").tag("kind", "invalid-answer")
                .description("Prompts whose answer stayed invalid after a re-ask").register(metrics);
        this.guard = guard(config);
    }

    private TypedGuard<Labels> guard(ClassifierConfig config) {
        ClassifierConfig.Retry retry = config.retry();
        ClassifierConfig.CircuitBreaker breaker = config.circuitBreaker();
        return TypedGuard.create(Labels.class)
                .withDescription("classifier backend")
                .withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(0, ChronoUnit.MILLIS)
                    .jitter(retry.initialDelay().toMillis() / 4, ChronoUnit.MILLIS)
                    .retryOn(List.of(BackendUnavailableException.class, CircuitBreakerOpenException.class))
                    .onRetry(unavailable::increment)
                    .withExponentialBackoff().factor(2).maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS).done()
                    .done()
                .withCircuitBreaker()
                    .name("classifier-backend")
                    .failOn(BackendUnavailableException.class)
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .onStateChange(this::circuitChanged)
                    .done()
                .build();
    }

    private void circuitChanged(CircuitBreakerState state) {
        LOG.infof("classifier backend circuit %s", state);
        circuitState.set(switch (state) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        });
        if (state == CircuitBreakerState.OPEN) {
            circuitOpenings.increment();
        }
    }

    /** Whether the last attempt reached the backend; readiness reports it. */
    public boolean backendAvailable() {
        return batches.backendAvailable();
    }

    /**
     * One outcome per prompt, in order. Returns only when every prompt is labelled or refused for a reason of
     * its own; while the backend is unavailable it keeps trying.
     */
    public List<Outcome> classify(List<IngestedPrompt> prompts) throws InterruptedException {
        return batches.resultsOf(prompts, prompt -> () -> outcome(prompt),
                error -> new Outcome.Refused("labelling failed: " + error, error));
    }

    private Outcome outcome(IngestedPrompt prompt) throws Exception {
        Optional<String> problem = check.problem(prompt.prompt().text());
        return problem.isPresent() ? new Outcome.Refused(problem.get(), null) : label(prompt);
    }

    /** The outcome, or null when the backend could not answer now. */
    private Outcome label(IngestedPrompt ingested) throws Exception {
        Timer.Sample sample = Timer.start(metrics);
        try {
            Labels labels = guard.call(() -> classifier.classify(ingested.prompt().text()));
            sample.stop(latency);
            count(labels);
            return new Outcome.Classified(ClassifiedPrompt.of(ingested.prompt(), labels, Instant.now()));
        } catch (BackendUnavailableException | CircuitBreakerOpenException e) {
            unavailable.increment();
            LOG.debugf("backend unavailable for %s: %s", ingested.prompt().id(), e.getMessage());
            return null;
        } catch (InvalidAnswerException e) {
            refused.increment();
            return new Outcome.Refused("the classifier's answer stayed invalid: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            return new Outcome.Refused("labelling failed: " + e, e);
        }
    }

    private void count(Labels labels) {
        for (Dimension dimension : Dimension.values()) {
            metrics.counter("misalign.classifier.prompts", "dimension", dimension.json(), "domain", labels.of(dimension).primary(),
                    "backend", labels.provenance().backend()).increment();
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
