package io.misalignstream.cli.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A byte stream that can take bytes back: after a malformed record, the reader replays what it
 * consumed past the record's first line, so one bad record never swallows the good ones after it.
 */
final class ByteSource implements AutoCloseable {

    private final InputStream in;
    private final Deque<byte[]> replay = new ArrayDeque<>();
    private byte[] current;
    private int position;
    private long consumed;

    ByteSource(InputStream in) {
        this.in = new BufferedInputStream(in, 1 << 16);
    }

    int read() throws IOException {
        while (current == null || position >= current.length) {
            current = replay.poll();
            position = 0;
            if (current == null) {
                int b = in.read();
                if (b >= 0) {
                    consumed++;
                }
                return b;
            }
        }
        return current[position++] & 0xff;
    }

    int peek() throws IOException {
        int b = read();
        if (b >= 0) {
            unread(new byte[] {(byte) b});
        }
        return b;
    }

    /** Puts bytes back in front of whatever is still to be read. */
    void unread(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        if (current != null && position < current.length) {
            byte[] rest = java.util.Arrays.copyOfRange(current, position, current.length);
            replay.push(rest);
        }
        replay.push(bytes);
        current = null;
        position = 0;
    }

    /** Bytes taken from the underlying stream (replays do not count twice). */
    long consumed() {
        return consumed;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
