package io.misalignstream.cli.ingest;

import io.misalignstream.contracts.PromptIds;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the records of an input file into {@code prompts.ingested} records. Rows that cannot be
 * read or break the contract go to the reject log with their reason; the run always goes on.
 */
public final class PromptIngestor {

    /** Told about progress after every record. */
    public interface Progress {
        void update(long bytesRead, long rows, long rejected);
    }

    private final PromptSink sink;
    private final RejectLog rejects;
    private final Clock clock;
    private final int maxChars;

    public PromptIngestor(PromptSink sink, RejectLog rejects, Clock clock, int maxChars) {
        this.sink = sink;
        this.rejects = rejects;
        this.clock = clock;
        this.maxChars = maxChars;
    }

    public IngestReport ingest(PromptFileReader reader, String dataset, Progress progress) throws IOException {
        long started = System.nanoTime();
        AtomicLong ingested = new AtomicLong();
        long rows = 0;
        ReadResult result;
        while ((result = reader.next()) != null) {
            rows++;
            if (result instanceof ReadResult.Rejected rejected) {
                rejects.reject(rejected.row(), rejected.line(), rejected.reason(), rejected.excerpt());
            } else if (result instanceof ReadResult.Row row) {
                String problem = problemWith(row.text());
                if (problem != null) {
                    rejects.reject(row.row(), row.line(), problem, StrictUtf8.excerpt(row.text()));
                } else {
                    send(row, dataset, ingested);
                }
            }
            progress.update(reader.bytesRead(), rows, rejects.count());
        }
        sink.flush();
        progress.update(reader.bytesRead(), rows, rejects.count());
        return new IngestReport(rows, ingested.get(), rejects.count(), Duration.ofNanos(System.nanoTime() - started));
    }

    private void send(ReadResult.Row row, String dataset, AtomicLong ingested) {
        IngestedPrompt record;
        try {
            Prompt prompt = new Prompt(PromptIds.of(dataset, row.row(), row.text()), row.text(),
                    Lineage.original(new Source(dataset, row.row())), row.metadata());
            record = IngestedPrompt.of(prompt, clock.instant());
        } catch (InvalidEventException e) {
            rejects.reject(row.row(), row.line(), e.getMessage(), StrictUtf8.excerpt(row.text()));
            return;
        }
        Optional<String> oversized = record.sizeProblem();
        if (oversized.isPresent()) {
            rejects.reject(row.row(), row.line(), oversized.get(), StrictUtf8.excerpt(row.text()));
            return;
        }
        sink.send(record, ingested::incrementAndGet,
                error -> rejects.reject(row.row(), row.line(), "not delivered to Kafka: " + error.getMessage(),
                        StrictUtf8.excerpt(row.text())));
    }

    /**
     * The checks a prompt text must pass before it is worth a record; {@code null} when it passes.
     * Other control characters than NUL are carried untouched (real prompts contain them); NUL is
     * refused by the contract itself, since PostgreSQL text cannot store it.
     */
    String problemWith(String text) {
        if (text == null || text.isBlank()) {
            return "empty text";
        }
        if (text.length() > maxChars) {
            return "text of " + text.length() + " characters, over the limit of " + maxChars;
        }
        return null;
    }
}
