package io.misalignstream.cli.ingest;

import java.nio.file.Path;
import java.util.Locale;

/** The input file formats {@code misalign ingest} reads. */
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
}
