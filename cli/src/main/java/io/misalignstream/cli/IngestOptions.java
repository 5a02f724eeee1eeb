package io.misalignstream.cli;

import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.cli.ingest.InputFormat;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.EventLimits;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** How to read an input file; shared by {@code ingest} and {@code demo}. */
final class IngestOptions {

    @Option(names = "--format", description = "csv, tsv, jsonl or text (default: from the file name; .csv, .tsv, .jsonl/.ndjson, else text).")
    InputFormat format;

    @Option(names = {"--text-column", "--text-field"}, paramLabel = "NAME",
            description = "CSV column or JSONL field holding the prompt (default: 'prompt', else 'text').")
    String textColumn;

    @Option(names = {"--metadata-columns", "--metadata-fields"}, split = ",", paramLabel = "NAME",
            description = "Columns or fields kept as the prompt's metadata (default: all but the text).")
    List<String> metadataColumns;

    @Option(names = "--no-metadata", description = "Keep no metadata.")
    boolean noMetadata;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Source data set name recorded in each prompt's lineage and used in its id (default: the file name).")
    String dataset;

    @Option(names = "--reject-file", paramLabel = "FILE",
            description = "Where rejected rows go, one JSON object per row (default: <file name>.rejects.jsonl in the current folder).")
    Path rejectFile;

    @Option(names = "--max-chars", paramLabel = "N", description = "Longest prompt text accepted (default: ${DEFAULT-VALUE}).")
    int maxChars = EventLimits.MAX_PROMPT_CHARS;

    @Option(names = "--topic", description = "Topic to write to (default: ${DEFAULT-VALUE}).")
    String topic = Topics.PROMPTS_INGESTED;

    @Option(names = "--progress", description = "auto, always or never (default: ${DEFAULT-VALUE}: a bar on a terminal, a line every 10 s otherwise).")
    String progress = "auto";

    ColumnSelection columns() {
        return new ColumnSelection(textColumn, noMetadata ? List.of() : metadataColumns);
    }

    InputFormat formatOf(Path file) {
        return format != null ? format : InputFormat.of(file);
    }

    String datasetOf(Path file) {
        return dataset != null ? dataset : file.getFileName().toString();
    }

    Path rejectFileOf(Path file) {
        return rejectFile != null ? rejectFile : Path.of(file.getFileName() + ".rejects.jsonl");
    }
}
