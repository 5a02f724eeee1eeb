package io.misalignstream.cli.coverage;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Generation;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Counts distinct prompt ids per domain as the expander service does: a classified prompt in the
 * primary and every further domain of each dimension ({@code none} is no domain), a synthetic
 * candidate in the domain it was generated for. A prompt read twice (redelivered, relabelled) counts once
 * per domain.
 */
public final class DomainCoverageCounter {

    private final Map<Dimension, Map<String, Set<String>>> prompts = new EnumMap<>(Dimension.class);
    private final Map<Dimension, Map<String, Set<String>>> synthetic = new EnumMap<>(Dimension.class);
    private final Map<String, Long> undecodable = new LinkedHashMap<>();

    /** Counts a {@code prompts.classified} value; one that cannot be decoded is counted as undecodable instead. */
    public boolean addClassified(byte[] value) {
        ClassifiedPrompt classified;
        try {
            classified = EventCodec.decode(value, ClassifiedPrompt.class);
        } catch (InvalidEventException e) {
            undecodable.merge(Topics.PROMPTS_CLASSIFIED, 1L, Long::sum);
            return false;
        }
        add(classified);
        return true;
    }

    /** Counts a {@code prompts.candidates} value; one that cannot be decoded is counted as undecodable instead. */
    public boolean addCandidate(byte[] value) {
        CandidatePrompt candidate;
        try {
            candidate = EventCodec.decode(value, CandidatePrompt.class);
        } catch (InvalidEventException e) {
            undecodable.merge(Topics.PROMPTS_CANDIDATES, 1L, Long::sum);
            return false;
        }
        add(candidate);
        return true;
    }

    public void add(ClassifiedPrompt classified) {
        String id = classified.prompt().id();
        boolean isSynthetic = classified.prompt().lineage().origin() == Origin.SYNTHETIC;
        for (Dimension dimension : Dimension.values()) {
            DimensionLabel label = classified.labels().of(dimension);
            count(dimension, label.primary(), id, isSynthetic);
            for (DomainScore further : label.further()) {
                count(dimension, further.domain(), id, isSynthetic);
            }
        }
    }

    public void add(CandidatePrompt candidate) {
        // An original on prompts.candidates is a classified prompt forwarded: prompts.classified already counts it.
        if (candidate.prompt().lineage().origin() != Origin.SYNTHETIC) {
            return;
        }
        // Only the target counts: the labels of a synthetic prompt are the generator's, not the classifier's.
        Generation generation = candidate.prompt().lineage().generation();
        count(generation.targetDimension(), generation.targetDomain(), candidate.prompt().id(), true);
    }

    /** Undecodable records skipped so far, by topic (topics without any are absent). */
    public Map<String, Long> undecodable() {
        return Map.copyOf(undecodable);
    }

    public long undecodableTotal() {
        return undecodable.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every domain of the given dimensions (all when empty), those without prompts too. */
    public CoverageReport report(CoverageTargets targets, Collection<Dimension> dimensions) {
        Taxonomy taxonomy = Taxonomy.standard();
        Stream<Dimension> chosen = Stream.of(Dimension.values()).filter(d -> dimensions.isEmpty() || dimensions.contains(d));
        List<DomainCoverage> rows = chosen.flatMap(dimension -> taxonomy.namedDomains(dimension).stream()
                        .map(domain -> DomainCoverage.of(dimension, domain.id(), size(prompts, dimension, domain.id()),
                                size(synthetic, dimension, domain.id()), targets.of(dimension, domain.id())))
                        .sorted(Comparator.comparingInt(DomainCoverage::deficit).reversed().thenComparing(DomainCoverage::domain)))
                .toList();
        return new CoverageReport(rows);
    }

    private void count(Dimension dimension, String domain, String id, boolean isSynthetic) {
        if (Domain.NONE.equals(domain)) {
            return;
        }
        ids(prompts, dimension, domain).add(id);
        if (isSynthetic) {
            ids(synthetic, dimension, domain).add(id);
        }
    }

    private static Set<String> ids(Map<Dimension, Map<String, Set<String>>> counts, Dimension dimension, String domain) {
        return counts.computeIfAbsent(dimension, d -> new HashMap<>()).computeIfAbsent(domain, d -> new HashSet<>());
    }

    private static int size(Map<Dimension, Map<String, Set<String>>> counts, Dimension dimension, String domain) {
        return counts.getOrDefault(dimension, Map.of()).getOrDefault(domain, Set.of()).size();
    }
}
