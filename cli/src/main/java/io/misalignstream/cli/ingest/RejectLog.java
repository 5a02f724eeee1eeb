package io.misalignstream.cli.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reject file: one JSON object per rejected row ({@code row}, {@code line}, {@code reason},
 * {@code excerpt}). Created on the first rejection, so a clean run leaves no file; a stale one from
 * an earlier run is removed at start.
 */
public final class RejectLog implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private BufferedWriter writer;
    private long count;

    public RejectLog(Path file) {
        this.file = file;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the reject file " + file, e);
        }
    }

    public synchronized void reject(long row, long line, String reason, String excerpt) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("row", row);
        entry.put("line", line);
        entry.put("reason", reason);
        entry.put("excerpt", excerpt);
        try {
            if (writer == null) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            writer.write(json.writeValueAsString(entry));
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reject file " + file, e);
        }
        count++;
    }

    public synchronized long count() {
        return count;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the reject file " + file, e);
            }
        }
    }
}
