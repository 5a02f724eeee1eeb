package io.misalignstream.cli;

import io.misalignstream.cli.ingest.IngestReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Streams the prompts of a CSV, TSV, JSONL or plain-text file into prompts.ingested.",
                "Prompt ids are the first 128 bits of SHA-256 over (data set, row, text): re-ingesting a file gives the same ids.",
                "Rows that cannot be read go to the reject file with their row number and reason; the run goes on."})
final class IngestCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The file to ingest.")
    Path file;

    @Mixin
    IngestOptions ingest = new IngestOptions();

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Override
    public Integer call() throws Exception {
        IngestReport report = IngestRun.run(file, ingest, kafka.resolve(), System.out, System.err);
        return report.ingested() + report.rejected() == report.rows() ? 0 : 1;
    }
}
