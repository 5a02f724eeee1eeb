package io.misalignstream.classifier.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.misalignstream.classifier.config.ClassifierConfig;
import io.misalignstream.classifier.domain.PromptCheck;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.messaging.BatchWork;
import io.misalignstream.resilience.ItemResult;
import io.misalignstream.resilience.TransientFailure;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Labels batches of ingested prompts with the configured (guarded) backend, {@link PromptClassifier#parallelism()}
 * at a time. A prompt the backend cannot label now is never refused: the batch waits, backing off, until the backend
 * answers.
 */
@Startup // loads the model before the first batch arrives, not while it waits
@ApplicationScoped
public class ClassificationService {

    private static final Logger LOG = Logger.getLogger(ClassificationService.class);

    private final PromptClassifier classifier;
    private final PromptCheck check;
    private final ExecutorService workers;
    private final BatchWork batches;
    private final MeterRegistry metrics;
    private final Timer latency;
    private final Counter unavailable;
    private final Counter refused;

    public ClassificationService(PromptClassifier classifier, ClassifierConfig config, MeterRegistry metrics) {
        this.classifier = classifier;
        this.check = new PromptCheck(config.maxTextBytes());
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(classifier.parallelism(), task -> {
            Thread thread = new Thread(task, "classifier-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.batches = new BatchWork(workers, config.retry().backOff(), "labelling");
        this.latency = Timer.builder("misalign.classifier.backend.latency")
                .description("Time to label one prompt, retries included").publishPercentiles(0.5, 0.95, 0.99).register(metrics);
        this.unavailable = unavailable(metrics);
        this.refused = Counter.builder("misalign.classifier.backend.errors").tag("kind", "invalid-answer")
                .description("Prompts whose answer stayed invalid after a re-ask").register(metrics);
    }

    /** Backend calls that failed for now, each retry of the guard included. */
    static Counter unavailable(MeterRegistry metrics) {
        return Counter.builder("misalign.classifier.backend.errors").tag("kind", "unavailable")
                .description("Backend calls that failed for now (timeout, 5xx, 429, circuit open)").register(metrics);
    }

    /** Whether the last attempt reached the backend; readiness reports it. */
    public boolean backendAvailable() {
        return batches.backendAvailable();
    }

    /**
     * One result per prompt, in order: labelled, or failed for a reason of its own. Returns only when every prompt has
     * one; while the backend is unavailable it keeps trying.
     */
    public List<ItemResult<ClassifiedPrompt>> classify(List<IngestedPrompt> prompts) throws InterruptedException {
        return batches.resultsOf(prompts, this::label);
    }

    private ItemResult<ClassifiedPrompt> label(IngestedPrompt ingested) {
        Optional<String> problem = check.problem(ingested.prompt().text());
        if (problem.isPresent()) {
            return ItemResult.failed(problem.get(), null);
        }
        Timer.Sample sample = Timer.start(metrics);
        try {
            Labels labels = classifier.classify(ingested.prompt().text());
            sample.stop(latency);
            count(labels);
            return ItemResult.done(ClassifiedPrompt.of(ingested.prompt(), labels, Instant.now()));
        } catch (TransientFailure e) {
            unavailable.increment();
            LOG.debugf("backend unavailable for %s: %s", ingested.prompt().id(), e.getMessage());
            return ItemResult.unavailable(e);
        } catch (InvalidAnswerException e) {
            refused.increment();
            return ItemResult.failed("the classifier's answer stayed invalid: " + e.getMessage(), e);
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
