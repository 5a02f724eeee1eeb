package io.misalignstream.cli;

import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.EventLimits;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How to read an input file and where its prompts go; shared by {@code ingest} and {@code demo}. */
final class IngestOptions {

    @Mixin
    InputFileOptions input = new InputFileOptions();

    @Option(names = {"--metadata-columns", "--metadata-fields"}, split = ",", paramLabel = "NAME",
            description = "Columns or fields kept as the prompt's metadata (default: all but the text).")
    List<String> metadataColumns;

    @Option(names = "--no-metadata", description = "Keep no metadata.")
    boolean noMetadata;

    @Option(names = "--reject-file", paramLabel = "FILE",
            description = "Where rejected rows go, one JSON object per row (default: <file name>.rejects.jsonl in the current folder).")
    Path rejectFile;

    @Option(names = "--max-chars", paramLabel = "N", description = "Longest prompt text accepted (default: ${DEFAULT-VALUE}).")
    int maxChars = EventLimits.MAX_PROMPT_CHARS;

    @Option(names = "--topic", description = "Topic to write to (default: ${DEFAULT-VALUE}).")
    String topic = Topics.PROMPTS_INGESTED;

    ColumnSelection columns() {
        return new ColumnSelection(input.textColumn, noMetadata ? List.of() : metadataColumns);
    }

    Path rejectFileOf(Path file) {
        return rejectFile != null ? rejectFile : Path.of(file.getFileName() + ".rejects.jsonl");
    }
}
