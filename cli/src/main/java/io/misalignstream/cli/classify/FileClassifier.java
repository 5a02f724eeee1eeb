package io.misalignstream.cli.classify;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.misalignstream.cli.ingest.PromptFileReader;
import io.misalignstream.cli.ingest.PromptIngestor;
import io.misalignstream.cli.ingest.ReadResult;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Labels the rows of one file with a {@link PromptClassifier}, several rows at once, and writes one JSON object
 * per row in file order: {@code row}, {@code id} (when the row has an {@code id} column or field), the primary
 * domain of each dimension, {@code semanticType}, the probabilities, {@code further} domains per dimension when
 * any, and the provenance; or {@code row} (and {@code id}) and {@code error} for a row that cannot be labelled.
 */
public final class FileClassifier {

    /** The column or field whose value is copied to each line, so that the labels can be joined back. */
    public static final String ID_COLUMN = "id";
    /** Rows read ahead per worker: keeps every worker busy while the oldest row is still being labelled. */
    private static final int ROWS_AHEAD_PER_WORKER = 4;
    /**
     * Consecutive rows the backend did not answer, each after the client's retries, before the run stops: the
     * endpoint is down or refuses the key, and every further row would only wait out the same retries.
     */
    public static final int STOP_AFTER_UNAVAILABLE_ROWS = 10;

    // Only ASCII out (an id or a reason can hold anything): safe on any console encoding.
    private final ObjectMapper json = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private final PromptClassifier classifier;
    private final int workers;

    /** @param workers rows labelled at once; more than the classifier's parallelism only queues inside it */
    public FileClassifier(PromptClassifier classifier, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.classifier = classifier;
        this.workers = workers;
    }

    public ClassifyReport run(PromptFileReader reader, Writer out, PromptIngestor.Progress progress)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        Tally tally = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(workers, daemonThreads());
        // Rows in flight, oldest first: the output is written from the head, so it keeps the file's order.
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        try {
            ReadResult result;
            while ((result = reader.next()) != null) {
                pending.add(new Pending(result, label(result, pool), reader.bytesRead()));
                if (pending.size() >= workers * ROWS_AHEAD_PER_WORKER) {
                    write(pending.poll(), out, tally, progress);
                }
            }
            while (!pending.isEmpty()) {
                write(pending.poll(), out, tally, progress);
            }
            out.flush();
        } finally {
            pool.shutdownNow();
        }
        return new ClassifyReport(tally.rows, tally.labelled, tally.errors, tally.notNone,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private CompletableFuture<Outcome> label(ReadResult result, ExecutorService pool) {
        if (result instanceof ReadResult.Rejected rejected) {
            return CompletableFuture.completedFuture(Outcome.notAsked(rejected.reason()));
        }
        String text = ((ReadResult.Row) result).text();
        if (text == null || text.isBlank()) {
            return CompletableFuture.completedFuture(Outcome.notAsked("empty text")); // as ingest: never sent to a backend
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Outcome(classifier.classify(text), null, Answer.ANSWERED);
            } catch (InvalidAnswerException e) {
                return new Outcome(null, "invalid answer: " + e.getMessage(), Answer.ANSWERED);
            } catch (BackendUnavailableException e) {
                // Already retried by the client: this row is lost for this run, the next one may get through.
                return new Outcome(null, "backend unavailable: " + e.getMessage(), Answer.NONE);
            }
        }, pool);
    }

    private void write(Pending head, Writer out, Tally tally, PromptIngestor.Progress progress)
            throws IOException, InterruptedException {
        Outcome outcome;
        try {
            outcome = head.outcome().get();
        } catch (ExecutionException e) {
            // Neither a bad answer nor an unreachable backend: a defect, which would hit every row alike.
            throw new IllegalStateException("row " + head.result().row() + ": " + e.getCause().getMessage(), e.getCause());
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("row", head.result().row());
        Object id = head.result() instanceof ReadResult.Row row ? idOf(row) : null;
        if (id != null) {
            line.put("id", id);
        }
        tally.rows++;
        if (outcome.answer() != Answer.NOT_ASKED) {
            tally.unavailableInARow = outcome.answer() == Answer.NONE ? tally.unavailableInARow + 1 : 0;
        }
        if (outcome.error() != null) {
            line.put("error", outcome.error());
            tally.errors++;
        } else {
            describe(outcome.labels(), line);
            tally.labelled++;
            for (Dimension dimension : outcome.labels().labelledDimensions()) {
                tally.notNone.merge(dimension, 1L, Long::sum);
            }
        }
        out.write(json.writeValueAsString(line));
        out.write('\n');
        progress.update(head.bytesRead(), tally.rows, tally.errors);
        if (tally.unavailableInARow == STOP_AFTER_UNAVAILABLE_ROWS) {
            out.flush();
            throw new BackendUnavailableException("stopped at row " + head.result().row() + ": the last "
                    + STOP_AFTER_UNAVAILABLE_ROWS + " rows got no answer; " + outcome.error(), null);
        }
    }

    private static void describe(Labels labels, Map<String, Object> line) {
        for (Dimension dimension : Dimension.values()) {
            line.put(dimension.json(), labels.of(dimension).primary());
        }
        line.put("semanticType", labels.semanticType().json());
        for (Dimension dimension : Dimension.values()) {
            line.put(dimension.json() + "Probability", labels.of(dimension).probability());
        }
        Map<String, Object> further = new LinkedHashMap<>();
        for (Dimension dimension : Dimension.values()) {
            DimensionLabel label = labels.of(dimension);
            if (!label.further().isEmpty()) {
                further.put(dimension.json(), scores(label.further()));
            }
        }
        if (!further.isEmpty()) {
            line.put("further", further);
        }
        line.put("backend", labels.provenance().backend());
        line.put("model", labels.provenance().model());
        line.put("templateVersion", labels.provenance().templateVersion());
    }

    private static List<Map<String, Object>> scores(List<DomainScore> scores) {
        return scores.stream().map(score -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("domain", score.domain());
            entry.put("probability", score.probability());
            return entry;
        }).toList();
    }

    /** A string or number {@code id}, as the file has it; anything else (null, object, empty) is no id. */
    private static Object idOf(ReadResult.Row row) {
        Object id = row.metadata().get(ID_COLUMN);
        if (id instanceof String text) {
            return text.isBlank() ? null : text;
        }
        return id instanceof Number ? id : null;
    }

    /** Daemon threads: a request stuck past its timeout must not keep the process alive after the run failed. */
    private static ThreadFactory daemonThreads() {
        AtomicInteger next = new AtomicInteger(1);
        return task -> {
            Thread thread = new Thread(task, "classify-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Pending(ReadResult result, CompletableFuture<Outcome> outcome, long bytesRead) {
    }

    /** Labels, or the reason there are none; and what the backend made of the row. */
    private record Outcome(Labels labels, String error, Answer answer) {

        static Outcome notAsked(String reason) {
            return new Outcome(null, reason, Answer.NOT_ASKED);
        }
    }

    private enum Answer { NOT_ASKED, ANSWERED, NONE }

    /** Counts kept by the writing thread only. */
    private static final class Tally {
        long rows;
        long labelled;
        long errors;
        int unavailableInARow;
        final Map<Dimension, Long> notNone = new EnumMap<>(Dimension.class);
    }
}
