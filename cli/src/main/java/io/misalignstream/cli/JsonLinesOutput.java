package io.misalignstream.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command's JSON lines go: the {@code --output} file, or standard output. Shared by {@code dedup} and {@code classify}. */
final class JsonLinesOutput {

    private JsonLinesOutput() {
    }

    /** The file (its directories made), or standard output when {@code file} is {@code null}; closing the latter only flushes it. */
    static Writer open(Path file, PrintWriter stdout) throws IOException {
        if (file == null) {
            // Closing standard output would close it for the rest of the process: only flush it.
            return new FilterWriter(stdout) {
                @Override
                public void close() {
                    stdout.flush();
                }
            };
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
}
