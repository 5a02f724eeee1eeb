package io.misalignstream.cli.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Lines of bytes with a length bound, so that one enormous line cannot exhaust memory. */
final class LineSource implements AutoCloseable {

    /** A line's bytes (without the line end), or only how long it was when it exceeded the bound. */
    record Line(long number, byte[] bytes, long length) {
        boolean overLimit() {
            return bytes == null;
        }
    }

    private final ByteSource in;
    private final int maxLineBytes;
    private long number;

    LineSource(InputStream input, int maxLineBytes) {
        this.in = new ByteSource(input);
        this.maxLineBytes = maxLineBytes;
    }

    Line next() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long length = 0;
        int b;
        boolean any = false;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '\n') {
                break;
            }
            length++;
            if (length <= maxLineBytes) {
                bytes.write(b);
            }
        }
        if (!any) {
            return null;
        }
        number++;
        if (length > maxLineBytes) {
            return new Line(number, null, length);
        }
        byte[] line = bytes.toByteArray();
        if (line.length > 0 && line[line.length - 1] == '\r') {
            line = java.util.Arrays.copyOf(line, line.length - 1);
        }
        if (number == 1 && line.length >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF) {
            line = java.util.Arrays.copyOfRange(line, 3, line.length);
        }
        return new Line(number, line, line.length);
    }

    int maxLineBytes() {
        return maxLineBytes;
    }

    long consumed() {
        return in.consumed();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
