package io.misalignstream.cli.ingest;

import java.util.Map;

/** What a reader makes of one record of an input file: a prompt row, or a rejection with its reason. */
public sealed interface ReadResult {

    /** 1-based data record number (CSV: after the header; JSONL and text: the line number). */
    long row();

    /** 1-based line of the file where the record starts. */
    long line();

    record Row(long row, long line, String text, Map<String, Object> metadata) implements ReadResult {
    }

    record Rejected(long row, long line, String reason, String excerpt) implements ReadResult {
    }
}
