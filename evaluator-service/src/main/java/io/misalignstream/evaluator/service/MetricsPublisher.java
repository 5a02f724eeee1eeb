package io.misalignstream.evaluator.service;

import io.misalignstream.evaluator.repository.EvaluationRun;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.MetricEvent;
import io.misalignstream.evaluation.benchmark.MetricSummary;
import io.misalignstream.evaluation.benchmark.Slice;
import io.misalignstream.evaluator.domain.RunReportView;
import io.misalignstream.evaluator.listener.Channels;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.KafkaOutput;
import io.misalignstream.evaluator.repository.EvaluationStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes a run's figures: on {@code metrics.events} one record per target, slice and metric (periodically while
 * the run or the streaming mode has new verdicts, and once more when a run finishes), and on Prometheus per target and
 * dimension ({@code source} {@code streaming} for the streaming mode, {@code run} for the run published last).
 */
@ApplicationScoped
public class MetricsPublisher {

    private static final Logger LOG = Logger.getLogger(MetricsPublisher.class);

    private final EvaluationStore store;
    private final RunReports reports;
    private final VerdictWriter writer;
    private final MeterRegistry metrics;
    private final Map<String, Long> publishedAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

    private final Emitter<byte[]> events;

    public MetricsPublisher(EvaluationStore store, RunReports reports, VerdictWriter writer, MeterRegistry metrics,
                            @Channel(Channels.METRICS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> events) {
        this.store = store;
        this.reports = reports;
        this.writer = writer;
        this.metrics = metrics;
        this.events = events;
    }

    /** Every run with verdicts stored here since its last publication. */
    @Scheduled(every = "${evaluator.publish-interval:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> publishChanged() {
        return store.isolated(reports::runs)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("cannot read the runs (%s); publishing later", failure.getMessage());
                    return List.of();
                })
                .onItem().transformToMulti(runs -> Multi.createFrom().iterable(runs))
                .filter(run -> run.state != EvaluationRun.State.FINISHED && writer.stored(run.runId) != publishedAt.getOrDefault(run.runId, 0L))
                .onItem().transformToUniAndConcatenate(run -> publish(run.runId, false))
                .collect().last()
                .replaceWithVoid();
    }

    /**
     * Computes the run's report and publishes it; {@code last}: the run just finished. Completes once Kafka has the
     * figures, or once the failure to compute or publish them is logged (they are published again later).
     */
    public Uni<Void> publish(String runId, boolean last) {
        long stored = writer.stored(runId);
        return store.isolated(() -> reports.report(runId))
                .chain(report -> report.isEmpty() ? Uni.createFrom().voidItem() : AcknowledgedPublisher.sendAll(figures(report.get(), runId))
                        .invoke(() -> {
                            publishedAt.put(runId, stored);
                            LOG.debugf("published the figures of %s%s", runId, last ? " (final)" : "");
                        }))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("cannot publish the figures of %s (%s); publishing later", runId, failure.getMessage());
                    return null;
                });
    }

    /** The run's metric events, and its gauges set. */
    private List<KafkaOutput> figures(RunReportView report, String runId) {
        Instant now = Instant.now();
        List<KafkaOutput> outputs = new ArrayList<>();
        for (RunReportView.TargetResult target : report.results()) {
            add(outputs, runId, target.target(), target.overall(), now);
            target.slices().forEach(slice -> add(outputs, runId, target.target(), slice, now));
            String source = EvaluationRun.STREAMING.equals(runId) ? "streaming" : "run";
            gauge(source, target.target(), "all", target.overall());
            for (RunReportView.SliceResult slice : target.slices()) {
                if (slice.kind().equals(Slice.Kind.DIMENSION.name().toLowerCase(java.util.Locale.ROOT))) {
                    gauge(source, target.target(), slice.slice().get(Slice.DIMENSION), slice);
                }
            }
        }
        return outputs;
    }

    private void add(List<KafkaOutput> outputs, String runId, String target, RunReportView.SliceResult slice, Instant now) {
        event(outputs, runId, target, "coverage", slice.coverage(), slice, now);
        event(outputs, runId, target, "ffr", slice.ffr(), slice, now);
        event(outputs, runId, target, "alignment_score", slice.alignmentScore(), slice, now);
        event(outputs, runId, target, "invalid_rate", slice.invalidRate(), slice, now);
    }

    private void event(List<KafkaOutput> outputs, String runId, String target, String metric, MetricSummary summary,
                       RunReportView.SliceResult slice, Instant now) {
        outputs.add(new KafkaOutput(events, runId, EventCodec.encode(new MetricEvent(EventLimits.SCHEMA_VERSION, runId, target,
                metric, summary.mean(), slice.slice(), slice.verdicts(), now))));
        if (summary.repeats() > 1) {
            outputs.add(new KafkaOutput(events, runId, EventCodec.encode(new MetricEvent(EventLimits.SCHEMA_VERSION, runId, target,
                    metric + "_sd", summary.standardDeviation(), slice.slice(), slice.verdicts(), now))));
        }
    }

    private void gauge(String source, String target, String dimension, RunReportView.SliceResult slice) {
        set(source, target, dimension, "coverage", slice.coverage().mean());
        set(source, target, dimension, "ffr", slice.ffr().mean());
        set(source, target, dimension, "alignment.score", slice.alignmentScore().mean());
        set(source, target, dimension, "invalid.rate", slice.invalidRate().mean());
    }

    private void set(String source, String target, String dimension, String metric, double value) {
        String key = String.join("\u0000", source, target, dimension, metric);
        gauges.computeIfAbsent(key, ignored -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder("misalign.evaluator." + metric, holder, AtomicReference::get)
                    .tags(Tags.of("source", source, "target", target, "dimension", dimension))
                    .description("The latest " + metric.replace('.', ' ') + " of the target (mean over repeats; all = the whole run)")
                    .register(metrics);
            return holder;
        }).set(value);
    }
}
