package io.misalignstream.cli.classify;

import io.misalignstream.contracts.event.Dimension;
import java.time.Duration;
import java.util.Map;

/**
 * The outcome of one classify run: {@code rows} = {@code labelled} + {@code errors}; {@code notNone} counts,
 * per dimension, the labelled rows whose primary domain is not {@code none}.
 */
public record ClassifyReport(long rows, long labelled, long errors, Map<Dimension, Long> notNone, Duration elapsed) {

    public ClassifyReport {
        notNone = Map.copyOf(notNone);
    }

    public long notNone(Dimension dimension) {
        return notNone.getOrDefault(dimension, 0L);
    }

    public double rowsPerSecond() {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        return rows / seconds;
    }
}
