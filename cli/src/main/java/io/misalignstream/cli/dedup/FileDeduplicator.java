package io.misalignstream.cli.dedup;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.misalignstream.cli.ingest.PromptFileReader;
import io.misalignstream.contracts.PromptIds;
import io.misalignstream.cli.ingest.PromptIngestor;
import io.misalignstream.cli.ingest.ReadResult;
import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.Decision;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.PromptSketcher;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Decides the rows of one file against a near-duplicate index, in file order, and writes one JSON
 * object per row: {@code row}, {@code fingerprint}, {@code decision} and, for a duplicate,
 * {@code matchRow} (or {@code matchId} when the match is not a row of this file), {@code distance} and, from
 * fingerprint version 2 on, {@code similarity} (the estimated Jaccard similarity that verified the match);
 * or {@code row} and {@code error} for a row that cannot be decided.
 *
 * <p>Each row's candidate id is the prompt id {@code misalign ingest} gives it (data set, row, text),
 * so a run against a persistent index gives a row decided before its earlier decision, and an edited
 * row is decided afresh.
 */
public final class FileDeduplicator {

    /** Rows decided per call: one round trip to the store per batch instead of per row. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;

    // Only ASCII out (a reason can name a non-ASCII column): safe on any console encoding.
    private final ObjectMapper json = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private final NearDuplicateIndex index;
    /** PromptSketcher reuses its buffers, so one per thread. */
    private final ThreadLocal<PromptSketcher> sketchers;
    private final String dataset;
    private final int batchSize;
    /** Row of each id this run accepted, to turn a match's id back into its row. */
    private final Map<String, Long> acceptedRows = new HashMap<>();
    private long unique;
    private long duplicate;
    private long errors;

    public FileDeduplicator(NearDuplicateIndex index, FingerprintConfig fingerprints, String dataset, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.index = index;
        this.sketchers = ThreadLocal.withInitial(() -> new PromptSketcher(fingerprints));
        this.dataset = dataset;
        this.batchSize = batchSize;
    }

    public DedupReport run(PromptFileReader reader, Writer out, PromptIngestor.Progress progress) throws IOException {
        long started = System.nanoTime();
        long rows = 0;
        List<ReadResult> batch = new ArrayList<>(batchSize);
        ReadResult result;
        while ((result = reader.next()) != null) {
            rows++;
            batch.add(result);
            if (batch.size() == batchSize) {
                decideAndWrite(batch, out);
                batch.clear();
            }
            progress.update(reader.bytesRead(), rows, errors);
        }
        decideAndWrite(batch, out);
        out.flush();
        progress.update(reader.bytesRead(), rows, errors);
        return new DedupReport(rows, unique, duplicate, errors, Duration.ofNanos(System.nanoTime() - started));
    }

    private void decideAndWrite(List<ReadResult> batch, Writer out) throws IOException {
        List<ReadResult.Row> rows = new ArrayList<>(batch.size());
        for (ReadResult result : batch) {
            if (result instanceof ReadResult.Row row && !isEmpty(row.text())) {
                rows.add(row);
            }
        }
        // Fingerprinting long texts costs more than deciding, so the batch's rows are spread over the cores.
        Candidate[] candidates = new Candidate[rows.size()];
        IntStream.range(0, rows.size()).parallel().forEach(i -> {
            ReadResult.Row row = rows.get(i);
            candidates[i] = sketchers.get().candidate(PromptIds.of(dataset, row.row(), row.text()), row.text());
        });
        Iterator<Decision> decisions = rows.isEmpty() ? List.<Decision>of().iterator() : index.decide(List.of(candidates)).iterator();
        for (ReadResult result : batch) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("row", result.row());
            if (result instanceof ReadResult.Rejected rejected) {
                line.put("error", rejected.reason());
                errors++;
            } else if (isEmpty(((ReadResult.Row) result).text())) {
                line.put("error", "empty text"); // as ingest: an empty prompt never reaches the dedup stage
                errors++;
            } else {
                Decision decision = decisions.next();
                if (decision instanceof Decision.Refused refused) {
                    line.put("error", refused.reason()); // an id of a shared Redis scope decided for another text
                    errors++;
                } else {
                    describe(decision, result.row(), line);
                }
            }
            out.write(json.writeValueAsString(line));
            out.write('\n');
        }
    }

    private void describe(Decision decision, long row, Map<String, Object> line) {
        line.put("fingerprint", HexFormat.of().toHexDigits(decision.fingerprint()));
        if (decision instanceof Decision.Duplicate match) {
            line.put("decision", "duplicate");
            Long matchRow = acceptedRows.get(match.matchedId());
            if (matchRow != null) {
                line.put("matchRow", matchRow);
            } else {
                line.put("matchId", match.matchedId()); // accepted by another file or run sharing the Redis scope
            }
            line.put("distance", match.distance());
            if (match.similarity() != null) {
                line.put("similarity", match.similarity());
            }
            duplicate++;
        } else {
            line.put("decision", "unique");
            acceptedRows.put(decision.id(), row);
            unique++;
        }
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isBlank();
    }
}
