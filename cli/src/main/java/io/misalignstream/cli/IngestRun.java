package io.misalignstream.cli;

import io.misalignstream.cli.ingest.IngestReport;
import io.misalignstream.cli.ingest.KafkaPromptSink;
import io.misalignstream.cli.ingest.PromptFileReader;
import io.misalignstream.cli.ingest.PromptIngestor;
import io.misalignstream.cli.ingest.RejectLog;
import io.misalignstream.contracts.event.EventLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/** One ingest of one file: the reader its format needs, the Kafka sink, the reject file, the progress bar. */
final class IngestRun {

    private IngestRun() {
    }

    static IngestReport run(Path file, IngestOptions options, String bootstrapServers, PrintStream out, PrintStream err)
            throws IOException {
        if (options.maxChars < 1 || options.maxChars > EventLimits.MAX_PROMPT_CHARS) {
            throw new IllegalArgumentException("--max-chars must be between 1 and " + EventLimits.MAX_PROMPT_CHARS);
        }
        String dataset = options.input.datasetOf(file);
        IngestReport report;
        try (PromptFileReader reader = options.input.open(file, options.columns());
             RejectLog rejects = new RejectLog(options.rejectFileOf(file));
             KafkaPromptSink sink = new KafkaPromptSink(bootstrapServers, options.topic)) {
            PromptIngestor.Progress progress = options.input.progressOf(file, "ingest", err);
            report = new PromptIngestor(sink, rejects, Clock.systemUTC(), options.maxChars).ingest(reader, dataset, progress);
            out.printf("ingested %,d of %,d rows from %s into %s in %.1f s (%,.0f rows/s)%n",
                    report.ingested(), report.rows(), file, options.topic, report.elapsed().toMillis() / 1000.0, report.rowsPerSecond());
            if (report.rejected() > 0) {
                out.printf("rejected %,d rows, each with its reason in %s%n", report.rejected(), rejects.file().toAbsolutePath());
            }
        }
        return report;
    }
}
