package io.misalignstream.cli.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON Lines: one JSON object per line; the text field is a string, the other fields become metadata as they are. */
public final class JsonlPromptReader implements PromptFileReader {

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private final LineSource lines;
    private final StrictUtf8 utf8 = new StrictUtf8();
    private final ColumnSelection columns;

    public JsonlPromptReader(InputStream input, ColumnSelection columns, int maxLineBytes) {
        this.lines = new LineSource(input, maxLineBytes);
        this.columns = columns;
    }

    @Override
    public ReadResult next() throws IOException {
        LineSource.Line line = lines.next();
        if (line == null) {
            return null;
        }
        long n = line.number();
        if (line.overLimit()) {
            return new ReadResult.Rejected(n, n, "line of " + line.length() + " bytes, over the limit of " + lines.maxLineBytes() + " bytes", "");
        }
        String text = utf8.decode(line.bytes());
        if (text == null) {
            return new ReadResult.Rejected(n, n, "invalid UTF-8", StrictUtf8.excerpt(line.bytes()));
        }
        if (text.isBlank()) {
            return new ReadResult.Rejected(n, n, "empty line", "");
        }
        Map<String, Object> object;
        try {
            object = json.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            return new ReadResult.Rejected(n, n, "not a JSON object: " + e.getOriginalMessage(), StrictUtf8.excerpt(text));
        }
        if (object == null) {
            return new ReadResult.Rejected(n, n, "not a JSON object: null", StrictUtf8.excerpt(text));
        }
        String field;
        try {
            field = CsvPromptReader.chooseTextColumn(new ArrayList<>(object.keySet()), columns, "field", "object");
        } catch (IllegalArgumentException e) {
            return new ReadResult.Rejected(n, n, e.getMessage(), StrictUtf8.excerpt(text));
        }
        if (!(object.get(field) instanceof String prompt)) {
            return new ReadResult.Rejected(n, n, "field '" + field + "' is not a string", StrictUtf8.excerpt(text));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        object.forEach((key, value) -> {
            if (!key.equals(field) && columns.keepsAsMetadata(key)) {
                metadata.put(key, value);
            }
        });
        return new ReadResult.Row(n, n, prompt, metadata);
    }

    @Override
    public long bytesRead() {
        return lines.consumed();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
