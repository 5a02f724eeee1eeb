package io.misalignstream.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvPromptReaderTest {

    private static final int MAX_RECORD = 4096;

    @Test
    void readsQuotedMultiLineFieldsAndKeepsOtherColumnsAsMetadata() throws IOException {
        List<ReadResult> results = readAll("""
                act,prompt,locale
                Tutor,"Explain, with ""care"", why
                the sky is blue",en-GB
                Chef,Plan a menu for a harvest festival,en-US
                """, ColumnSelection.defaults());

        assertThat(results).containsExactly(
                new ReadResult.Row(1, 2, "Explain, with \"care\", why\nthe sky is blue", Map.of("act", "Tutor", "locale", "en-GB")),
                new ReadResult.Row(2, 4, "Plan a menu for a harvest festival", Map.of("act", "Chef", "locale", "en-US")));
    }

    @Test
    void eachMalformedRowIsRejectedWithItsReasonAndTheRowsAfterItAreRead() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("prompt,locale\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("good one,en-US\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("\"closed\"then text,en-US\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("a stray \" quote,en-US\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes(new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, ',', 'x', '\n'});
        file.writeBytes("too,many,fields\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("good two,en-GB\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("\"never closed,en-US\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("good three,en-IN\n".getBytes(StandardCharsets.UTF_8));

        List<ReadResult> results = readAll(file.toByteArray(), ColumnSelection.defaults());

        assertThat(results).extracting(ReadResult::row).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(results).extracting(ReadResult::line).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(reasons(results)).containsExactly(
                null,
                "text after the closing quote of field 1",
                "stray quote inside unquoted field 1",
                "invalid UTF-8 in column 'prompt'",
                "the record has 3 fields, the header has 2",
                "empty line",
                null,
                "unterminated quote in field 1 of the record starting on line 9",
                null);
        assertThat(texts(results)).containsExactly("good one", "good two", "good three");
    }

    @Test
    void anOverlongRecordIsRejectedWithoutHoldingItWhole() throws IOException {
        String file = "prompt\n\"" + "x".repeat(MAX_RECORD * 3) + "\"\nafter\n";
        List<ReadResult> results = readAll(file, ColumnSelection.defaults());
        assertThat(reasons(results).get(0)).startsWith("record longer than " + MAX_RECORD + " bytes");
        assertThat(texts(results)).containsExactly("after");
    }

    @Test
    void handlesCrLfByteOrderMarkAndTabs() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "text\tsource\r\none\tA\r\n\"two\r\nlines\"\tB\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, file, 0, bom.length);
        System.arraycopy(body, 0, file, bom.length, body.length);

        CsvPromptReader reader = new CsvPromptReader(new ByteArrayInputStream(file), '\t', ColumnSelection.defaults(), MAX_RECORD);
        assertThat(reader.header()).containsExactly("text", "source");
        assertThat(reader.next()).isEqualTo(new ReadResult.Row(1, 2, "one", Map.of("source", "A")));
        assertThat(reader.next()).isEqualTo(new ReadResult.Row(2, 3, "two\r\nlines", Map.of("source", "B")));
        assertThat(reader.next()).isNull();
    }

    @Test
    void columnSelectionPicksTheTextAndTheMetadata() throws IOException {
        String file = "act,prompt,contributor,type\nPoet,Write a haiku,ann,TEXT\n";
        List<ReadResult> results = readAll(file, new ColumnSelection("prompt", List.of("type")));
        assertThat(results).containsExactly(new ReadResult.Row(1, 2, "Write a haiku", Map.of("type", "TEXT")));
        assertThat(readAll(file, new ColumnSelection("act", List.of()))).containsExactly(new ReadResult.Row(1, 2, "Poet", Map.of()));
    }

    @Test
    void aMissingColumnIsAClearErrorNamingTheHeader() {
        assertThatThrownBy(() -> readAll("a,b\n1,2\n", ColumnSelection.defaults()))
                .hasMessage("choose the text column with --text-column; the header has: a, b");
        assertThatThrownBy(() -> readAll("a,b\n1,2\n", new ColumnSelection("c", null)))
                .hasMessage("no text column 'c'; the header has: a, b");
        assertThatThrownBy(() -> readAll("prompt,b\n1,2\n", new ColumnSelection(null, List.of("z"))))
                .hasMessage("no metadata column 'z'; the header has: prompt, b");
        assertThatThrownBy(() -> readAll("", ColumnSelection.defaults())).hasMessageContaining("empty");
    }

    static List<String> reasons(List<ReadResult> results) {
        List<String> reasons = new ArrayList<>();
        results.forEach(r -> reasons.add(r instanceof ReadResult.Rejected rejected ? rejected.reason() : null));
        return reasons;
    }

    static List<String> texts(List<ReadResult> results) {
        return results.stream().filter(ReadResult.Row.class::isInstance).map(r -> ((ReadResult.Row) r).text()).toList();
    }

    private static List<ReadResult> readAll(String csv, ColumnSelection columns) throws IOException {
        return readAll(csv.getBytes(StandardCharsets.UTF_8), columns);
    }

    private static List<ReadResult> readAll(byte[] csv, ColumnSelection columns) throws IOException {
        try (CsvPromptReader reader = new CsvPromptReader(new ByteArrayInputStream(csv), ',', columns, MAX_RECORD)) {
            List<ReadResult> results = new ArrayList<>();
            ReadResult result;
            while ((result = reader.next()) != null) {
                results.add(result);
            }
            assertThat(reader.bytesRead()).isEqualTo(csv.length);
            return results;
        }
    }
}
