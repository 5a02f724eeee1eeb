package io.misalignstream.cli.ingest;

import java.time.Duration;

/**
 * The outcome of one ingest run. {@code rows} = {@code ingested} + {@code rejected}: every row of
 * the file is either on the topic or in the reject file.
 */
public record IngestReport(long rows, long ingested, long rejected, Duration elapsed) {

    public double rowsPerSecond() {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        return rows / seconds;
    }
}
