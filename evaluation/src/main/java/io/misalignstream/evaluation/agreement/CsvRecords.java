package io.misalignstream.evaluation.agreement;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records, read by hand: comma-separated cells; a double-quoted cell may hold commas, line breaks and
 * doubled quotes ({@code ""}); CRLF, LF or CR end a record; a leading byte-order mark and blank lines are skipped.
 * Problems (a quote inside an unquoted cell, text after a closing quote, a quoted cell never closed) are collected
 * with their line, at most one per record, not thrown.
 */
final class CsvRecords {

    /** One record, the line it starts on, and whether a problem was found in it (its cells are then unreliable). */
    record CsvRecord(int line, List<String> cells, boolean malformed) {
    }

    private enum State { CELL_START, UNQUOTED, QUOTED, AFTER_QUOTE }

    private final List<CsvRecord> records = new ArrayList<>();
    private final List<RatingsFormatException.Problem> problems = new ArrayList<>();

    private final List<String> cells = new ArrayList<>();
    private final StringBuilder cell = new StringBuilder();
    private int recordLine = 1;
    private boolean recordHasProblem;

    private CsvRecords() {
    }

    static CsvRecords parse(String text) {
        CsvRecords csv = new CsvRecords();
        csv.scan(text.startsWith("\uFEFF") ? text.substring(1) : text);
        return csv;
    }

    List<CsvRecord> records() {
        return records;
    }

    List<RatingsFormatException.Problem> problems() {
        return problems;
    }

    private void scan(String text) {
        State state = State.CELL_START;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r';
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
            }
            if (state == State.QUOTED) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    state = State.AFTER_QUOTE;
                } else {
                    cell.append(lineBreak ? '\n' : c);
                    line += lineBreak ? 1 : 0;
                }
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                state = State.CELL_START;
            } else if (lineBreak) {
                endRecord(state);
                state = State.CELL_START;
                line++;
                recordLine = line;
            } else if (c == '"' && (state == State.CELL_START || state == State.UNQUOTED && cell.toString().isBlank())) {
                // Spaces before the opening quote are not part of the cell.
                cell.setLength(0);
                state = State.QUOTED;
            } else if (state == State.AFTER_QUOTE) {
                if (!Character.isWhitespace(c)) {
                    problem(line, "text after the closing quote of a quoted cell (write a quote inside one as \"\")");
                    cell.append(c);
                }
            } else {
                if (c == '"') {
                    problem(line, "a quote inside an unquoted cell (quote the whole cell and double the quote)");
                }
                cell.append(c);
                state = State.UNQUOTED;
            }
        }
        if (state == State.QUOTED) {
            problem(recordLine, "a quoted cell is never closed");
        }
        endRecord(state);
    }

    private void endRecord(State state) {
        boolean blank = cells.isEmpty() && state != State.AFTER_QUOTE && cell.toString().isBlank();
        if (!blank) {
            cells.add(cell.toString());
            records.add(new CsvRecord(recordLine, List.copyOf(cells), recordHasProblem));
        }
        cells.clear();
        cell.setLength(0);
        recordHasProblem = false;
    }

    private void problem(int line, String message) {
        if (!recordHasProblem) {
            problems.add(new RatingsFormatException.Problem(line, message));
            recordHasProblem = true;
        }
    }
}
