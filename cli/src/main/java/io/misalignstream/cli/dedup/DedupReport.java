package io.misalignstream.cli.dedup;

import java.time.Duration;

/** The outcome of one dedup run: {@code rows} = {@code unique} + {@code duplicate} + {@code errors}. */
public record DedupReport(long rows, long unique, long duplicate, long errors, Duration elapsed) {

    public double rowsPerSecond() {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        return rows / seconds;
    }
}
