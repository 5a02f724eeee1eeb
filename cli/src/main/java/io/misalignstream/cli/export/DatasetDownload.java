package io.misalignstream.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.Split;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Downloads a split of the dataset from the sampler service's export ({@code GET /dataset/export}) into a JSON Lines
 * file. The file appears complete or not at all: lines go to a temporary file moved into place at the end.
 */
public final class DatasetDownload {

    /** Header of the API key (the sampler's {@code ApiKeys.HEADER}). */
    public static final String KEY_HEADER = "X-API-Key";

    private final URI sampler;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;

    public DatasetDownload(URI sampler, String apiKey, Duration timeout) {
        this.sampler = sampler.toString().endsWith("/") ? sampler : URI.create(sampler + "/");
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Pairs of the split in the dataset now, from {@code GET /dataset/statistics}. */
    public long size(Split split) {
        HttpResponse<InputStream> response = get("dataset/statistics", timeout);
        try (InputStream body = response.body()) {
            JsonNode statistics = EventCodec.mapper().readTree(body);
            return statistics.path("bySplit").path(split.json()).asLong(0);
        } catch (IOException e) {
            throw new DatasetDownloadException("cannot read the dataset statistics from " + sampler + ": " + e.getMessage(), e);
        }
    }

    /** Writes every pair of the split to the file, one line each, and reports the lines written so far as it goes. */
    public long download(Split split, Path file, LongConsumer written) {
        // no overall timeout: a large split streams for as long as it takes
        HttpResponse<InputStream> response = get("dataset/export?split=" + split.json(), null);
        Path parent = file.toAbsolutePath().getParent();
        long lines = 0;
        try {
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".part");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                 BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    out.write(line);
                    out.write('\n');
                    written.accept(++lines);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return lines;
        } catch (IOException e) {
            throw new DatasetDownloadException("the export of " + split.json() + " broke off after " + lines + " pairs: " + e.getMessage(), e);
        }
    }

    private HttpResponse<InputStream> get(String path, Duration requestTimeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(sampler.resolve(path)).header(KEY_HEADER, apiKey).GET();
        if (requestTimeout != null) {
            request.timeout(requestTimeout);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new DatasetDownloadException("cannot reach the sampler service at " + sampler + "; is it running? (name it with --sampler-url)", e);
        } catch (HttpTimeoutException e) {
            throw new DatasetDownloadException("the sampler service at " + sampler + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new DatasetDownloadException("cannot reach the sampler service at " + sampler + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetDownloadException("interrupted", e);
        }
        if (response.statusCode() == 401) {
            close(response);
            throw new DatasetDownloadException("the sampler service refused the API key: set MISALIGN_API_KEY to one of the keys in its MISALIGN_API_KEYS", null);
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw new DatasetDownloadException("the sampler service answered " + response.statusCode() + " to " + path + ": " + body, null);
        }
        return response;
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the answer is refused anyway
        }
    }

    /** A download that could not be made, with a message for the user. */
    public static final class DatasetDownloadException extends RuntimeException {
        public DatasetDownloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
