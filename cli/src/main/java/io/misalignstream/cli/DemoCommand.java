package io.misalignstream.cli;

import io.misalignstream.cli.ingest.IngestReport;
import io.misalignstream.cli.topics.TopicStatistics;
import io.misalignstream.contracts.Topics;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the pipeline on this machine: starts the devstack, ingests the project's sample "
                + "(or --input FILE), shows what reached each topic, then stops everything (or, with --keep, leaves it running)."})
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE = "samples/prompts.csv";

    @Option(names = "--input", paramLabel = "FILE", description = "File to ingest instead of the project's sample " + SAMPLE + ".")
    Path input;

    @Option(names = "--keep", description = "Leave the servers running and print their addresses; Ctrl-C stops them.")
    boolean keep;

    @Option(names = "--partitions", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions = DevStackOptions.DEFAULT_PARTITIONS;

    @Mixin
    IngestOptions ingest = new IngestOptions();

    @Override
    public Integer call() throws Exception {
        Path file = input != null ? input : projectHome().resolve(SAMPLE);
        if (input == null && ingest.input.textColumn == null) {
            ingest.input.textColumn = "prompt";
        }
        if (ingest.rejectFile == null) {
            ingest.rejectFile = projectHome().resolve("target").resolve("demo").resolve(file.getFileName() + ".rejects.jsonl");
        }
        DevStack devStack = DevStackCommand.start(DevStackOptions.defaults().withPartitions(partitions), System.err);
        try {
            IngestReport report = IngestRun.run(file, ingest, devStack.endpoints().kafkaBootstrapServers(), System.out, System.err);
            TopicStatistics.Snapshot snapshot = TopicStatistics.read(devStack.endpoints().kafkaBootstrapServers());
            System.out.println();
            System.out.println("Summary");
            System.out.printf("  rows read:              %,d%n", report.rows());
            System.out.printf("  prompts ingested:       %,d (on %s: %,d records)%n", report.ingested(), Topics.PROMPTS_INGESTED,
                    snapshot.records(Topics.PROMPTS_INGESTED));
            System.out.printf("  rows rejected:          %,d%n", report.rejected());
            for (String topic : Topics.PIPELINE.subList(1, Topics.PIPELINE.size())) {
                System.out.printf("  %-23s %,d records%n", topic + ":", snapshot.records(topic));
            }
            if (keep) {
                System.out.println();
                DevStackCommand.printEndpoints(devStack.endpoints(), System.out);
                DevStackCommand.runUntilStopped(devStack);
            }
            return 0;
        } finally {
            if (!keep) {
                System.err.println("stopping the servers ...");
                devStack.close();
                LocalDevStackFile.delete();
            }
        }
    }

    static Path projectHome() {
        String home = System.getenv("MISALIGN_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home);
    }
}
