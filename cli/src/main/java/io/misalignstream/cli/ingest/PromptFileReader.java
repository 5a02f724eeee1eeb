package io.misalignstream.cli.ingest;

import java.io.Closeable;
import java.io.IOException;

/** Streams the records of one input file; a bad record is returned as a rejection, never thrown. */
public interface PromptFileReader extends Closeable {

    /** The next record, or {@code null} at the end of the file. */
    ReadResult next() throws IOException;

    /** Bytes of the file consumed so far, for progress. */
    long bytesRead();
}
