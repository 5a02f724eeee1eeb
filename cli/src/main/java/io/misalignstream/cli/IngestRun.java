package io.misalignstream.cli;

import io.misalignstream.cli.ingest.CsvPromptReader;
import io.misalignstream.cli.ingest.IngestReport;
import io.misalignstream.cli.ingest.InputFormat;
import io.misalignstream.cli.ingest.JsonlPromptReader;
import io.misalignstream.cli.ingest.KafkaPromptSink;
import io.misalignstream.cli.ingest.ProgressBar;
import io.misalignstream.cli.ingest.PromptFileReader;
import io.misalignstream.cli.ingest.PromptIngestor;
import io.misalignstream.cli.ingest.RejectLog;
import io.misalignstream.contracts.event.EventLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** One ingest of one file: the reader its format needs, the Kafka sink, the reject file, the progress bar. */
final class IngestRun {

    /** A record longer than this in the file is rejected without being held in memory whole. */
    private static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

    private IngestRun() {
    }

    static IngestReport run(Path file, IngestOptions options, String bootstrapServers, PrintStream out, PrintStream err)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        if (options.maxChars < 1 || options.maxChars > EventLimits.MAX_PROMPT_CHARS) {
            throw new IllegalArgumentException("--max-chars must be between 1 and " + EventLimits.MAX_PROMPT_CHARS);
        }
        String dataset = options.datasetOf(file);
        boolean interactive = switch (options.progress) {
            case "always" -> true;
            case "never" -> false;
            default -> System.console() != null;
        };
        PromptIngestor.Progress progress = "never".equals(options.progress)
                ? (bytes, rows, rejected) -> { }
                : new ProgressBar(err, "ingest " + file.getFileName(), Files.size(file), interactive);
        IngestReport report;
        try (InputStream input = Files.newInputStream(file);
             PromptFileReader reader = open(options.formatOf(file), input, options);
             RejectLog rejects = new RejectLog(options.rejectFileOf(file));
             KafkaPromptSink sink = new KafkaPromptSink(bootstrapServers, options.topic)) {
            report = new PromptIngestor(sink, rejects, Clock.systemUTC(), options.maxChars).ingest(reader, dataset, progress);
            out.printf("ingested %,d of %,d rows from %s into %s in %.1f s (%,.0f rows/s)%n",
                    report.ingested(), report.rows(), file, options.topic, report.elapsed().toMillis() / 1000.0, report.rowsPerSecond());
            if (report.rejected() > 0) {
                out.printf("rejected %,d rows, each with its reason in %s%n", report.rejected(), rejects.file().toAbsolutePath());
            }
        }
        return report;
    }

    private static PromptFileReader open(InputFormat format, InputStream input, IngestOptions options) throws IOException {
        return switch (format) {
            case CSV -> new CsvPromptReader(input, ',', options.columns(), MAX_RECORD_BYTES);
            case TSV -> new CsvPromptReader(input, '\t', options.columns(), MAX_RECORD_BYTES);
            case JSONL -> new JsonlPromptReader(input, options.columns(), MAX_RECORD_BYTES);
            case TEXT -> new io.misalignstream.cli.ingest.TextPromptReader(input, MAX_RECORD_BYTES);
        };
    }
}
