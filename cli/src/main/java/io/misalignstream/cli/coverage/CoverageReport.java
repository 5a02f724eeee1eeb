package io.misalignstream.cli.coverage;

import io.misalignstream.contracts.event.Dimension;
import java.util.List;

/** Every domain's coverage, by dimension and then by deficit, largest first. */
public record CoverageReport(List<DomainCoverage> domains) {

    /**
     * A dimension's column sums. A prompt with further domains is counted in each of them, so
     * {@code count} is a sum over domains, not the number of prompts of the dimension.
     */
    public record Totals(Dimension dimension, int domains, int underTarget, long count, long synthetic,
                         double syntheticShare, long target, long deficit) {
    }

    public CoverageReport {
        domains = List.copyOf(domains);
    }

    public List<DomainCoverage> of(Dimension dimension) {
        return domains.stream().filter(domain -> domain.dimension() == dimension).toList();
    }

    /** The dimensions in the report, in their order. */
    public List<Dimension> dimensions() {
        return domains.stream().map(DomainCoverage::dimension).distinct().toList();
    }

    public Totals totals(Dimension dimension) {
        List<DomainCoverage> rows = of(dimension);
        long count = rows.stream().mapToLong(DomainCoverage::count).sum();
        long synthetic = rows.stream().mapToLong(DomainCoverage::synthetic).sum();
        return new Totals(dimension, rows.size(), (int) rows.stream().filter(row -> row.deficit() > 0).count(), count, synthetic,
                DomainCoverage.share(synthetic, count), rows.stream().mapToLong(DomainCoverage::target).sum(),
                rows.stream().mapToLong(DomainCoverage::deficit).sum());
    }
}
