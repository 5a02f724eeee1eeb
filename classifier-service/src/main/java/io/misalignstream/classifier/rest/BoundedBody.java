package io.misalignstream.classifier.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that fails once more than its limit has been read: a chunked body declares no length, so
 * the limit is enforced while it streams in, never by holding it whole.
 */
final class BoundedBody extends FilterInputStream {

    /** Thrown by a read past the limit; an IOException so that it leaves Jackson and readers unwrapped. */
    static final class TooLargeException extends IOException {

        TooLargeException(long limit) {
            super("request body over the limit of " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;

    BoundedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    boolean exceeded() {
        return count > limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) throws TooLargeException {
        count += n;
        if (count > limit) {
            throw new TooLargeException(limit);
        }
    }
}
