package io.misalignstream.cli.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV with a header row, parsed at the byte level (quotes, delimiters and line ends are
 * ASCII, so this is safe for UTF-8) so that each record's UTF-8 can be checked on its own. A
 * malformed record (stray or unterminated quote, text after a closing quote, wrong field count,
 * invalid UTF-8, over-long record) is rejected and reading resumes on the line after its first line.
 */
public final class CsvPromptReader implements PromptFileReader {

    private static final byte QUOTE = '"';

    private final ByteSource in;
    private final byte delimiter;
    private final int maxRecordBytes;
    private final StrictUtf8 utf8 = new StrictUtf8();
    private final List<String> header;
    private final int textIndex;
    private final List<Integer> metadataIndexes = new ArrayList<>();
    private long row;
    private long line = 1;

    public CsvPromptReader(InputStream input, char delimiter, ColumnSelection columns, int maxRecordBytes) throws IOException {
        this.in = new ByteSource(input);
        this.delimiter = (byte) delimiter;
        this.maxRecordBytes = maxRecordBytes;
        skipByteOrderMark();
        Record first = parseRecord();
        if (first == null) {
            throw new IllegalArgumentException("the file is empty: a CSV header row was expected");
        }
        if (first.error != null) {
            throw new IllegalArgumentException("cannot read the CSV header: " + first.error);
        }
        List<String> names = new ArrayList<>();
        for (byte[] field : first.fields) {
            String name = utf8.decode(field);
            if (name == null) {
                throw new IllegalArgumentException("the CSV header is not valid UTF-8");
            }
            names.add(name.strip());
        }
        this.header = List.copyOf(names);
        this.textIndex = header.indexOf(chooseTextColumn(header, columns));
        if (columns.metadataColumns() != null) {
            for (String column : columns.metadataColumns()) {
                if (!header.contains(column)) {
                    throw new IllegalArgumentException("no metadata column '" + column + "'; the header has: " + String.join(", ", header));
                }
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (i != textIndex && columns.keepsAsMetadata(header.get(i))) {
                metadataIndexes.add(i);
            }
        }
    }

    static String chooseTextColumn(List<String> names, ColumnSelection columns) {
        return chooseTextColumn(names, columns, "column", "header");
    }

    /**
     * The text column (CSV) or field (JSONL, {@code kind} "field", {@code container} "object") among
     * {@code names}; the error names what is there.
     */
    static String chooseTextColumn(List<String> names, ColumnSelection columns, String kind, String container) {
        if (columns.textColumn() != null) {
            if (!names.contains(columns.textColumn())) {
                throw new IllegalArgumentException("no text " + kind + " '" + columns.textColumn() + "'; the " + container
                        + " has: " + String.join(", ", names));
            }
            return columns.textColumn();
        }
        return ColumnSelection.DEFAULT_TEXT_COLUMNS.stream().filter(names::contains).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("choose the text " + kind + " with --text-" + kind + "; the "
                        + container + " has: " + String.join(", ", names)));
    }

    public List<String> header() {
        return header;
    }

    @Override
    public ReadResult next() throws IOException {
        Record record = parseRecord();
        if (record == null) {
            return null;
        }
        row++;
        if (record.error != null) {
            return new ReadResult.Rejected(row, record.startLine, record.error, StrictUtf8.excerpt(record.raw));
        }
        if (record.fields.size() == 1 && record.fields.get(0).length == 0) {
            return new ReadResult.Rejected(row, record.startLine, "empty line", "");
        }
        if (record.fields.size() != header.size()) {
            return new ReadResult.Rejected(row, record.startLine, "the record has " + record.fields.size()
                    + " fields, the header has " + header.size(), StrictUtf8.excerpt(record.raw));
        }
        String text = null;
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (int i = 0; i < record.fields.size(); i++) {
            if (i != textIndex && !metadataIndexes.contains(i)) {
                continue;
            }
            String value = utf8.decode(record.fields.get(i));
            if (value == null) {
                return new ReadResult.Rejected(row, record.startLine, "invalid UTF-8 in column '" + header.get(i) + "'",
                        StrictUtf8.excerpt(record.raw));
            }
            if (i == textIndex) {
                text = value;
            } else {
                metadata.put(header.get(i), value);
            }
        }
        return new ReadResult.Row(row, record.startLine, text, metadata);
    }

    @Override
    public long bytesRead() {
        return in.consumed();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void skipByteOrderMark() throws IOException {
        int b0 = in.read();
        if (b0 == 0xEF) {
            int b1 = in.read();
            int b2 = in.read();
            if (b1 == 0xBB && b2 == 0xBF) {
                return;
            }
            in.unread(new byte[] {(byte) b0, (byte) b1, (byte) b2});
        } else if (b0 >= 0) {
            in.unread(new byte[] {(byte) b0});
        }
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private static final class Record {
        final long startLine;
        final byte[] raw;
        final List<byte[]> fields;
        final String error;

        Record(long startLine, byte[] raw, List<byte[]> fields, String error) {
            this.startLine = startLine;
            this.raw = raw;
            this.fields = fields;
            this.error = error;
        }
    }

    /** Parses one record; on a malformed one, positions the stream at the line after its first line. */
    private Record parseRecord() throws IOException {
        long startLine = line;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        List<byte[]> fields = new ArrayList<>();
        State state = State.FIELD_START;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (raw.size() == 0) {
                    return null;
                }
                if (state == State.QUOTED) {
                    return malformed(startLine, raw, "unterminated quote in field " + (fields.size() + 1)
                            + " of the record starting on line " + startLine);
                }
                fields.add(field.toByteArray());
                return new Record(startLine, raw.toByteArray(), fields, null);
            }
            raw.write(b);
            if (b == '\n') {
                line++;
            }
            if (raw.size() > maxRecordBytes) {
                return malformed(startLine, raw, "record longer than " + maxRecordBytes
                        + " bytes (an unterminated quote, or a text far over the size limit)");
            }
            boolean endOfLine = b == '\n' || (b == '\r' && in.peek() == '\n');
            if (b == '\r' && endOfLine) {
                raw.write(in.read());
                line++;
            }
            switch (state) {
                case FIELD_START, UNQUOTED -> {
                    if (b == delimiter) {
                        fields.add(field.toByteArray());
                        field.reset();
                        state = State.FIELD_START;
                    } else if (endOfLine) {
                        fields.add(field.toByteArray());
                        return new Record(startLine, raw.toByteArray(), fields, null);
                    } else if (b == QUOTE && state == State.FIELD_START) {
                        state = State.QUOTED;
                    } else if (b == QUOTE) {
                        return malformed(startLine, raw, "stray quote inside unquoted field " + (fields.size() + 1));
                    } else {
                        field.write(b);
                        state = State.UNQUOTED;
                    }
                }
                case QUOTED -> {
                    if (b == QUOTE) {
                        state = State.QUOTE_IN_QUOTED;
                    } else {
                        field.write(b);
                        if (b == '\r' && endOfLine) {
                            field.write('\n');
                        }
                    }
                }
                case QUOTE_IN_QUOTED -> {
                    if (b == QUOTE) {
                        field.write(QUOTE);
                        state = State.QUOTED;
                    } else if (b == delimiter) {
                        fields.add(field.toByteArray());
                        field.reset();
                        state = State.FIELD_START;
                    } else if (endOfLine) {
                        fields.add(field.toByteArray());
                        return new Record(startLine, raw.toByteArray(), fields, null);
                    } else {
                        return malformed(startLine, raw, "text after the closing quote of field " + (fields.size() + 1));
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Rejects the record and resumes on the line after the record's first line. */
    private Record malformed(long startLine, ByteArrayOutputStream raw, String reason) throws IOException {
        byte[] bytes = raw.toByteArray();
        int firstNewline = indexOf(bytes, (byte) '\n');
        if (firstNewline >= 0) {
            in.unread(java.util.Arrays.copyOfRange(bytes, firstNewline + 1, bytes.length));
            line = startLine + 1;
            return new Record(startLine, java.util.Arrays.copyOf(bytes, firstNewline), List.of(), reason);
        }
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (bytes.length < 400) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
                bytes[bytes.length - 1] = (byte) b;
            }
        }
        line = startLine + 1;
        return new Record(startLine, bytes, List.of(), reason);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
