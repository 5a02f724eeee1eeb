package io.misalignstream.cli.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Plain text: every line is one prompt. */
public final class TextPromptReader implements PromptFileReader {

    private final LineSource lines;
    private final StrictUtf8 utf8 = new StrictUtf8();

    public TextPromptReader(InputStream input, int maxLineBytes) {
        this.lines = new LineSource(input, maxLineBytes);
    }

    @Override
    public ReadResult next() throws IOException {
        LineSource.Line line = lines.next();
        if (line == null) {
            return null;
        }
        if (line.overLimit()) {
            return new ReadResult.Rejected(line.number(), line.number(), "line of " + line.length() + " bytes, over the limit of " + lines.maxLineBytes() + " bytes", "");
        }
        String text = utf8.decode(line.bytes());
        if (text == null) {
            return new ReadResult.Rejected(line.number(), line.number(), "invalid UTF-8", StrictUtf8.excerpt(line.bytes()));
        }
        return new ReadResult.Row(line.number(), line.number(), text, Map.of());
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
