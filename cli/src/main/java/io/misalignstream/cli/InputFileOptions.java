package io.misalignstream.cli;

import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.cli.ingest.InputFormat;
import io.misalignstream.cli.ingest.ProgressBar;
import io.misalignstream.cli.ingest.PromptFileReader;
import io.misalignstream.cli.ingest.PromptIngestor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to read the prompts of an input file and show progress; shared by {@code ingest}, {@code demo} and {@code dedup}. */
final class InputFileOptions {

    /** A record longer than this in the file is rejected without being held in memory whole. */
    static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

    @Option(names = "--format", description = "csv, tsv, jsonl or text (default: from the file name; .csv, .tsv, .jsonl/.ndjson, else text).")
    InputFormat format;

    @Option(names = {"--text-column", "--text-field"}, paramLabel = "NAME",
            description = "CSV column or JSONL field holding the prompt (default: 'prompt', else 'text').")
    String textColumn;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Source data set name, part of each prompt's id and recorded in its lineage (default: the file name).")
    String dataset;

    @Option(names = "--progress", description = "auto, always or never (default: ${DEFAULT-VALUE}: a bar on a terminal, a line every 10 s otherwise).")
    String progress = "auto";

    InputFormat formatOf(Path file) {
        return format != null ? format : InputFormat.of(file);
    }

    String datasetOf(Path file) {
        return dataset != null ? dataset : file.getFileName().toString();
    }

    /** Opens the file with the reader its format needs; the reader closes the file. */
    PromptFileReader open(Path file, ColumnSelection columns) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        InputStream input = Files.newInputStream(file);
        try {
            return formatOf(file).reader(input, columns, MAX_RECORD_BYTES);
        } catch (IOException | RuntimeException e) {
            input.close(); // a CSV without a readable header fails here, before a reader owns the file
            throw e;
        }
    }

    PromptIngestor.Progress progressOf(Path file, String command, PrintStream err) throws IOException {
        boolean interactive = switch (progress) {
            case "always" -> true;
            case "never" -> false;
            default -> System.console() != null;
        };
        return "never".equals(progress)
                ? (bytes, rows, rejected) -> { }
                : new ProgressBar(err, command + " " + file.getFileName(), Files.size(file), interactive);
    }
}
