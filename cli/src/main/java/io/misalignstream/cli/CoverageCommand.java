package io.misalignstream.cli;

import io.misalignstream.cli.coverage.CoverageReport;
import io.misalignstream.cli.coverage.CoverageTargets;
import io.misalignstream.cli.coverage.DomainCoverage;
import io.misalignstream.cli.coverage.DomainCoverageCounter;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.devstack.TopicReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "coverage", mixinStandardHelpOptions = true,
        description = {"Shows how far each domain is from its target: the distinct prompts counted in it (from prompts.classified: "
                + "in the primary and every further domain of each dimension; from prompts.candidates: synthetic prompts in the "
                + "domain they were generated for), of which synthetic, the target and the deficit, as the expander service counts them.",
                "Reads both topics from the beginning to their current end, without a consumer group. Targets: --target-domain, "
                        + "else --target-dimension, else --target. Undecodable records are skipped; the counts go to standard error."})
final class CoverageCommand implements Callable<Integer> {

    /** As long as {@code misalign topics} waits for an absent broker. */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);
    private static final String ROW = "%-10s %-48s %7d %9d %6.1f%% %7d %8d%n";

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--target", paramLabel = "N", description = "Target of every domain (default: ${DEFAULT-VALUE}, the expander service's).")
    int target = CoverageTargets.DEFAULT_TARGET;

    @Option(names = "--target-dimension", paramLabel = "DIM=N", description = "Target of every domain of a dimension; repeatable.")
    Map<Dimension, Integer> dimensionTargets = new LinkedHashMap<>();

    @Option(names = "--target-domain", paramLabel = "ID=N", description = "Target of one domain (its id, as in 'misalign taxonomy'); repeatable.")
    Map<String, Integer> domainTargets = new LinkedHashMap<>();

    @Option(names = "--dimension", paramLabel = "DIM", description = "Only this dimension (safety, value, cultural); repeatable. Default: all.")
    List<Dimension> dimensions = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object per domain: dimension, domain, count, synthetic, syntheticShare, target, deficit.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CoverageTargets targets = new CoverageTargets(target, dimensionTargets, domainTargets);
        String servers = kafka.resolve();
        DomainCoverageCounter counter = new DomainCoverageCounter();
        long classified = read(servers, Topics.PROMPTS_CLASSIFIED, counter::addClassified);
        long candidates = read(servers, Topics.PROMPTS_CANDIDATES, counter::addCandidate);
        CoverageReport report = counter.report(targets, dimensions);

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            report.domains().forEach(domain -> out.println(EventCodec.encodeToString(domain)));
        } else {
            print(report, out);
        }
        out.flush();
        Map<String, Long> skipped = counter.undecodable();
        spec.commandLine().getErr().printf("coverage: read %d records of %s and %d of %s; skipped %d undecodable (%s %d, %s %d)%n",
                classified, Topics.PROMPTS_CLASSIFIED, candidates, Topics.PROMPTS_CANDIDATES, counter.undecodableTotal(),
                Topics.PROMPTS_CLASSIFIED, skipped.getOrDefault(Topics.PROMPTS_CLASSIFIED, 0L),
                Topics.PROMPTS_CANDIDATES, skipped.getOrDefault(Topics.PROMPTS_CANDIDATES, 0L));
        return 0;
    }

    private static long read(String servers, String topic, Consumer<byte[]> count) {
        long[] records = {0};
        try {
            TopicReader.forEach(servers, topic, KAFKA_TIMEOUT, record -> {
                records[0]++;
                count.accept(record.value());
            });
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read " + topic + " from Kafka at " + servers + " (" + e.getMessage()
                    + "); start one with './misalign devstack' or name one with --bootstrap-servers", e);
        }
        return records[0];
    }

    private static void print(CoverageReport report, PrintWriter out) {
        out.printf("%-10s %-48s %7s %9s %7s %7s %8s%n", "DIMENSION", "DOMAIN", "COUNT", "SYNTHETIC", "SHARE", "TARGET", "DEFICIT");
        boolean first = true;
        for (Dimension dimension : report.dimensions()) {
            if (!first) {
                out.println();
            }
            first = false;
            for (DomainCoverage domain : report.of(dimension)) {
                out.printf(Locale.ROOT, ROW, dimension.json(), domain.domain(), domain.count(), domain.synthetic(),
                        100 * domain.syntheticShare(), domain.target(), domain.deficit());
            }
            CoverageReport.Totals totals = report.totals(dimension);
            out.printf(Locale.ROOT, ROW, dimension.json(), "total (" + totals.domains() + " domains, " + totals.underTarget() + " under target)",
                    totals.count(), totals.synthetic(), 100 * totals.syntheticShare(), totals.target(), totals.deficit());
        }
    }
}
