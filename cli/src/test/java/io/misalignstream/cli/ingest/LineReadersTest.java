package io.misalignstream.cli.ingest;

import static io.misalignstream.cli.ingest.CsvPromptReaderTest.reasons;
import static io.misalignstream.cli.ingest.CsvPromptReaderTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineReadersTest {

    @Test
    void jsonLinesKeepOtherFieldsAsMetadataWithTheirTypes() throws IOException {
        String file = """
                {"text": "Which museum holds the oldest pottery?", "rater": {"age": 34, "groups": ["a", "b"]}, "row": 7}
                {"prompt": "ignored, text field wins when chosen", "text": "second"}
                """;
        List<ReadResult> results = read(new JsonlPromptReader(in(file), new ColumnSelection("text", null), 1024));
        assertThat(results.get(0)).isEqualTo(new ReadResult.Row(1, 1, "Which museum holds the oldest pottery?",
                Map.of("rater", Map.of("age", 34, "groups", List.of("a", "b")), "row", 7)));
        assertThat(texts(results)).containsExactly("Which museum holds the oldest pottery?", "second");
    }

    @Test
    void badJsonLinesAreRejectedWithReasons() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("{\"text\": \"fine\"}\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("{\"text\": \"unclosed\"\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("[1, 2]\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("{\"text\": 42}\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes("{\"other\": \"x\"}\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'});
        file.writeBytes("   \n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes(("{\"text\": \"" + "y".repeat(100) + "\"}\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes("{\"text\": \"last\"}".getBytes(StandardCharsets.UTF_8));

        List<ReadResult> results = read(new JsonlPromptReader(new ByteArrayInputStream(file.toByteArray()), ColumnSelection.defaults(), 64));

        List<String> reasons = reasons(results);
        assertThat(reasons.get(0)).isNull();
        assertThat(reasons.get(1)).startsWith("not a JSON object");
        assertThat(reasons.get(2)).startsWith("not a JSON object");
        assertThat(reasons.get(3)).isEqualTo("field 'text' is not a string");
        assertThat(reasons.get(4)).isEqualTo("choose the text field with --text-field; the object has: other");
        assertThat(reasons.get(5)).isEqualTo("invalid UTF-8");
        assertThat(reasons.get(6)).isEqualTo("empty line");
        assertThat(reasons.get(7)).isEqualTo("line of 112 bytes, over the limit of 64 bytes");
        assertThat(reasons.get(8)).isNull();
        assertThat(results).extracting(ReadResult::row).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void plainTextHasOnePromptPerLine() throws IOException {
        List<ReadResult> results = read(new TextPromptReader(in("first prompt\r\n\nsecond prompt\n"), 1024));
        assertThat(results).containsExactly(
                new ReadResult.Row(1, 1, "first prompt", Map.of()),
                new ReadResult.Row(2, 2, "", Map.of()),
                new ReadResult.Row(3, 3, "second prompt", Map.of()));
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<ReadResult> read(PromptFileReader reader) throws IOException {
        List<ReadResult> results = new ArrayList<>();
        ReadResult result;
        while ((result = reader.next()) != null) {
            results.add(result);
        }
        reader.close();
        return results;
    }
}
