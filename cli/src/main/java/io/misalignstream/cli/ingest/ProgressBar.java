package io.misalignstream.cli.ingest;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress of an ingest run on standard error: a bar redrawn in place on a terminal, a plain line
 * every ten seconds otherwise (logs, CI).
 */
public final class ProgressBar implements PromptIngestor.Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long totalBytes;
    private final boolean interactive;
    private final long started = System.nanoTime();
    private long lastDrawn = started;
    private boolean finished;

    public ProgressBar(PrintStream out, String label, long totalBytes, boolean interactive) {
        this.out = out;
        this.label = label;
        this.totalBytes = totalBytes;
        this.interactive = interactive;
    }

    @Override
    public void update(long bytesRead, long rows, long rejected) {
        long now = System.nanoTime();
        long interval = interactive ? 200_000_000L : 10_000_000_000L;
        boolean done = totalBytes > 0 && bytesRead >= totalBytes;
        if (finished || (!done && now - lastDrawn < interval)) {
            return;
        }
        lastDrawn = now;
        finished = done;
        double fraction = totalBytes <= 0 ? 0 : Math.min(1.0, (double) bytesRead / totalBytes);
        double seconds = Math.max((now - started) / 1e9, 1e-3);
        String eta = fraction <= 0 ? "--:--" : clock(Duration.ofMillis((long) (seconds * (1 - fraction) / fraction * 1000)));
        String line = String.format("%s [%s] %3d%%  %,d rows  %,.0f rows/s  ETA %s  rejected %,d",
                label, bar(fraction), Math.round(fraction * 100), rows, rows / seconds, eta, rejected);
        if (interactive) {
            out.print("\r" + line + "   ");
            if (done) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String bar(double fraction) {
        int filled = (int) Math.round(fraction * WIDTH);
        return "#".repeat(filled) + ".".repeat(WIDTH - filled);
    }

    private static String clock(Duration duration) {
        long s = duration.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
