package io.misalignstream.cli;

import io.misalignstream.cli.topics.TopicStatistics;
import io.misalignstream.contracts.EventCodec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import java.io.PrintWriter;

@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Shows each topic's record count and each consumer group's lag.")
final class TopicsCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TopicStatistics.Snapshot snapshot = TopicStatistics.read(kafka.resolve());
        if (json) {
            out.println(EventCodec.encodeToString(snapshot));
            return 0;
        }
        out.printf("%-28s %10s %12s%n", "TOPIC", "PARTITIONS", "RECORDS");
        snapshot.topics().forEach(t -> out.printf("%-28s %10d %,12d%n", t.topic(), t.partitions(), t.records()));
        out.println();
        if (snapshot.lags().isEmpty()) {
            out.println("no consumer group has committed offsets yet");
        } else {
            out.printf("%-32s %-28s %10s%n", "CONSUMER GROUP", "TOPIC", "LAG");
            snapshot.lags().forEach(l -> out.printf("%-32s %-28s %,10d%n", l.group(), l.topic(), l.lag()));
        }
        return 0;
    }
}
