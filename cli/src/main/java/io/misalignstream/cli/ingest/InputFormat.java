package io.misalignstream.cli.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/** The input file formats {@code misalign ingest} and {@code misalign dedup} read. */
public enum InputFormat {
    CSV, TSV, JSONL, TEXT;

    /** From the file name: .csv, .tsv, .jsonl/.ndjson; anything else is plain text. */
    public static InputFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".tsv")) {
            return TSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        return TEXT;
    }

    /** The reader of this format over {@code input}; a record over {@code maxRecordBytes} is rejected, not held whole. */
    public PromptFileReader reader(InputStream input, ColumnSelection columns, int maxRecordBytes) throws IOException {
        return switch (this) {
            case CSV -> new CsvPromptReader(input, ',', columns, maxRecordBytes);
            case TSV -> new CsvPromptReader(input, '\t', columns, maxRecordBytes);
            case JSONL -> new JsonlPromptReader(input, columns, maxRecordBytes);
            case TEXT -> new TextPromptReader(input, maxRecordBytes);
        };
    }
}
