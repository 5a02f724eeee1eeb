package io.misalignstream.cli.coverage;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.util.Map;

/**
 * How many distinct prompts each domain should have, configured as the expander service configures
 * it: one target for every domain, per-dimension targets, per-domain overrides. The most specific wins.
 *
 * @param perDomain keyed by domain id, which names one domain: ids are unique across dimensions
 */
public record CoverageTargets(int all, Map<Dimension, Integer> perDimension, Map<String, Integer> perDomain) {

    /** The expander service's default target for every domain. */
    public static final int DEFAULT_TARGET = 25;

    public CoverageTargets {
        requireCount(all, "the target");
        perDimension = perDimension == null ? Map.of() : Map.copyOf(perDimension);
        perDomain = perDomain == null ? Map.of() : Map.copyOf(perDomain);
        perDimension.forEach((dimension, target) -> requireCount(target, "the target of " + dimension.json()));
        perDomain.forEach((domain, target) -> {
            requireCount(target, "the target of " + domain);
            if (!isDomain(domain)) {
                throw new IllegalArgumentException("'" + domain + "' is not a domain of the taxonomy (misalign taxonomy lists them)");
            }
        });
    }

    public static CoverageTargets defaults() {
        return new CoverageTargets(DEFAULT_TARGET, Map.of(), Map.of());
    }

    /** The per-domain override, else the dimension's target, else the one for all domains. */
    public int of(Dimension dimension, String domain) {
        Integer target = perDomain.get(domain);
        if (target == null) {
            target = perDimension.get(dimension);
        }
        return target == null ? all : target;
    }

    private static boolean isDomain(String id) {
        Taxonomy taxonomy = Taxonomy.standard();
        for (Dimension dimension : Dimension.values()) {
            if (taxonomy.find(dimension, id).filter(domain -> !domain.isNone()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static void requireCount(Integer target, String what) {
        if (target == null || target < 0) {
            throw new IllegalArgumentException(what + " must be 0 or more, was " + target);
        }
    }
}
