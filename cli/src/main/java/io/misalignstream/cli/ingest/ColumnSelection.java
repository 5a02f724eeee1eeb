package io.misalignstream.cli.ingest;

import java.util.List;

/**
 * Which column (CSV) or field (JSONL) holds the prompt text, and which others are kept as metadata.
 *
 * @param textColumn      the text column; {@code null} picks {@code prompt}, then {@code text}
 * @param metadataColumns the columns kept as metadata; {@code null} keeps every other column
 */
public record ColumnSelection(String textColumn, List<String> metadataColumns) {

    static final List<String> DEFAULT_TEXT_COLUMNS = List.of("prompt", "text");

    public static ColumnSelection defaults() {
        return new ColumnSelection(null, null);
    }

    boolean keepsAsMetadata(String column) {
        return metadataColumns == null || metadataColumns.contains(column);
    }
}
