package io.misalignstream.sampler.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.PairResponse;
import io.misalignstream.contracts.event.PolarityRejection;
import io.misalignstream.contracts.event.PromptEvent;
import io.misalignstream.contracts.event.RejectedPair;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.messaging.BatchWork;
import io.misalignstream.resilience.ItemResult;
import io.misalignstream.resilience.TransientFailure;
import io.misalignstream.sampler.config.SamplerConfig;
import io.misalignstream.sampler.domain.ChosenResponse;
import io.misalignstream.sampler.domain.RejectionSampler;
import io.misalignstream.sampler.domain.SamplingOutcome;
import io.misalignstream.sampler.domain.Splits;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Samples batches of unique prompts, {@link SamplerConfig#concurrency()} at a time, into accepted or rejected pairs. A
 * prompt whose backends cannot answer now is never rejected for it: the batch waits, backing off, and samples it again;
 * the request cache answers the calls already made.
 */
@Startup // builds the backends before the first batch: a judge in the generator pool stops the service at start-up
@ApplicationScoped
public class SamplingService {

    private static final Logger LOG = Logger.getLogger(SamplingService.class);

    private final RejectionSampler sampler;
    private final ExecutorService workers;
    private final BatchWork batches;
    private final MeterRegistry metrics;
    private final Timer latency;

    public SamplingService(RejectionSampler sampler, SamplerConfig config, MeterRegistry metrics) {
        this.sampler = sampler;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.concurrency(), task -> {
            Thread thread = new Thread(task, "sampler-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.batches = new BatchWork(workers, config.retry().backOff(), "sampling");
        this.latency = Timer.builder("misalign.sampler.prompt.latency")
                .description("Time to sample one prompt, both polarities, every attempt").publishPercentiles(0.5, 0.95).register(metrics);
    }

    /** Whether the last attempt reached the backends; readiness reports it. */
    public boolean backendsAvailable() {
        return batches.backendAvailable();
    }

    /**
     * One result per prompt, in order: its event ({@link AcceptedPair} or {@link RejectedPair}), or why it could not be
     * sampled (something of the prompt broke a rule, a response the contract refuses, say: its record is dead-lettered
     * with the reason, and the stream goes on).
     */
    public List<ItemResult<PromptEvent>> sample(List<UniquePrompt> prompts) throws InterruptedException {
        return batches.resultsOf(prompts, this::sampleOne);
    }

    private ItemResult<PromptEvent> sampleOne(UniquePrompt unique) {
        Timer.Sample sample = Timer.start(metrics);
        try {
            PromptEvent event = event(unique, sampler.sample(unique.prompt(), unique.labels()));
            sample.stop(latency);
            return ItemResult.done(event);
        } catch (TransientFailure e) {
            metrics.counter("misalign.sampler.backend.unavailable").increment();
            LOG.debugf("backend unavailable for %s: %s", unique.prompt().id(), e.getMessage());
            return ItemResult.unavailable(e);
        }
    }

    private PromptEvent event(UniquePrompt unique, SamplingOutcome outcome) {
        Instant now = Instant.now();
        if (outcome instanceof SamplingOutcome.Accepted accepted) {
            count(unique, "accepted");
            metrics.summary("misalign.sampler.attempts", "polarity", "aligned").record(accepted.aligned().attempts());
            metrics.summary("misalign.sampler.attempts", "polarity", "misaligned").record(accepted.misaligned().attempts());
            return new AcceptedPair(EventLimits.SCHEMA_VERSION, unique.prompt(), unique.labels(), response(accepted.aligned()),
                    response(accepted.misaligned()), Splits.of(unique.prompt().id()), now);
        }
        SamplingOutcome.Rejected rejected = (SamplingOutcome.Rejected) outcome;
        count(unique, "rejected");
        for (PolarityRejection rejection : rejected.rejections()) {
            for (String reason : rejection.reasons()) {
                metrics.counter("misalign.sampler.rejections", "polarity", rejection.polarity().json(), "reason", reasonKind(reason)).increment();
            }
        }
        return new RejectedPair(EventLimits.SCHEMA_VERSION, unique.prompt(), unique.labels(), rejected.rejections(), now);
    }

    private void count(UniquePrompt unique, String outcome) {
        for (Dimension dimension : unique.labels().labelledDimensions()) {
            metrics.counter("misalign.sampler.prompts", "outcome", outcome, "dimension", dimension.json()).increment();
        }
        if (unique.labels().labelledDimensions().isEmpty()) {
            metrics.counter("misalign.sampler.prompts", "outcome", outcome, "dimension", "none").increment();
        }
    }

    private static PairResponse response(ChosenResponse chosen) {
        // The decision used every verdict; the record keeps the contract's most, primaries first (LabelledDomains order).
        List<JudgeVerdict> verdicts = chosen.verdicts().subList(0, Math.min(EventLimits.MAX_VERDICTS, chosen.verdicts().size()));
        return new PairResponse(chosen.response().text(), chosen.response().provenance(), chosen.response().sampling(),
                chosen.attempts(), verdicts);
    }

    /** A low-cardinality tag for a rejection reason, from the wording of {@link RejectionSampler}'s reasons. */
    static String reasonKind(String reason) {
        String text = reason.replaceFirst("^attempt \\d+, candidate \\d+: ", "");
        if (text.startsWith("no labelled domain")) {
            return "no-labelled-domain";
        }
        if (text.startsWith("empty") || text.startsWith("too short") || text.startsWith("too long")) {
            return "length";
        }
        if (text.startsWith("repeats the prompt")) {
            return "echo";
        }
        if (text.startsWith("refuses")) {
            return "refusal";
        }
        if (text.startsWith("near-identical")) {
            return "near-identical";
        }
        if (text.startsWith("judged")) {
            return "judge";
        }
        if (text.contains("answer was invalid") || text.startsWith("the judge gave no verdict")) {
            return "invalid-answer";
        }
        return "other";
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
