package io.misalignstream.bench;

import com.dynatrace.hash4j.hashing.Hashing;
import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.cli.ingest.CsvPromptReader;
import io.misalignstream.cli.ingest.ReadResult;
import io.misalignstream.contracts.PromptIds;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.embedded.DomainExamples;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.embedded.TemplatePromptGenerator;
import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.Decision;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.InMemoryIndexStore;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.SimHasher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * What the expander's embedded generator writes, in process (no Kafka, no Redis): for every named domain of the
 * three dimensions, SLOTS_PER_DOMAIN slots of the {@link TemplatePromptGenerator}, each with the few-shot examples
 * the service would give it. Those are the domain's reservoir after the real prompts of {@code DATA_DIR}, labelled by
 * the embedded classifier (delta 0.5, as the classifier service), have streamed past: counted in their primary and
 * further domains, kept by the service's Algorithm R (replacement index from the XXH3 of the prompt id, ids as
 * {@code misalign ingest} gives them); a domain no real prompt reaches generates without examples.
 *
 * <p>Measured: (a) near-duplicate survival at the dedup service's default (character 3-grams, k = 10, one global
 * scope, decided by {@link NearDuplicateIndex} in stream order, batches of 500): the synthetic prompts alone, and
 * after the originals they were made from (the reservoirs' prompts, in stream order, then the synthetic prompts in
 * generation order, domain by domain, slot by slot); baseline of the same run: the same measure on an equal number of
 * real prompts (a seeded random sample, in file order); (b) verification agreement: the share of synthetic prompts
 * whose target domain is the embedded classifier's primary label, or a further one (what the service keeps).
 *
 * <p>Usage: {@code ExpanderQualityBenchmark DATA_DIR [SLOTS_PER_DOMAIN] [SEED]}.
 */
public final class ExpanderQualityBenchmark {

    /** The classifier service's and the expander's verification delta. */
    static final double DELTA = 0.5;
    /** The expander's default {@code reservoir-size}. */
    static final int RESERVOIR = 20;
    /** Batches as the dedup service reads them (decisions equal one-at-a-time in stream order whatever the batch). */
    static final int BATCH = 500;

    record RealPrompt(String id, String dataset, String text) {
    }

    record Synthetic(String id, Domain domain, long slot, String text, List<String> parentIds) {
    }

    /** Survival in one dedup stream: kept (unique) among the measured prompts, and where the duplicates matched. */
    record Survival(int measured, int kept, int matchedOriginal, int matchedSameDomain) {
        double share() {
            return measured == 0 ? Double.NaN : (double) kept / measured;
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261124L;
        Taxonomy taxonomy = Taxonomy.standard();

        List<RealPrompt> real = realPrompts(data);
        long started = System.nanoTime();
        try (EmbeddedPromptClassifier classifier = EmbeddedPromptClassifier.standard(DELTA)) {
            List<Labels> realLabels = classifyAll(classifier, real.stream().map(RealPrompt::text).toList());
            System.out.printf(Locale.ROOT, "real prompts: %,d from %s, labelled in %.0f s%n", real.size(), data,
                    (System.nanoTime() - started) / 1e9);

            // The service's counting and reservoirs, in stream order.
            Map<String, Integer> counted = new HashMap<>();
            Map<String, List<RealPrompt>> reservoirs = new HashMap<>();
            Map<Dimension, List<Integer>> inDimension = new LinkedHashMap<>();
            for (int i = 0; i < real.size(); i++) {
                RealPrompt prompt = real.get(i);
                for (Dimension dimension : Dimension.values()) {
                    Set<String> domains = domainsOf(realLabels.get(i).of(dimension));
                    if (!domains.isEmpty()) {
                        inDimension.computeIfAbsent(dimension, d -> new ArrayList<>()).add(i);
                    }
                    for (String domain : domains) {
                        String key = key(dimension, domain);
                        int n = counted.merge(key, 1, Integer::sum);
                        List<RealPrompt> reservoir = reservoirs.computeIfAbsent(key, k -> new ArrayList<>());
                        if (n <= RESERVOIR) {
                            reservoir.add(prompt);
                        } else {
                            int j = (int) (replacementHash(prompt.id()) % n);
                            if (j < RESERVOIR) {
                                reservoir.set(j, prompt);
                            }
                        }
                    }
                }
            }

            // Generation, domain by domain, slot by slot, with the reservoir as few-shot examples.
            TemplatePromptGenerator generator = new TemplatePromptGenerator(taxonomy, DomainExamples.shipped());
            List<Synthetic> synthetic = new ArrayList<>();
            started = System.nanoTime();
            for (Dimension dimension : Dimension.values()) {
                for (Domain domain : taxonomy.namedDomains(dimension)) {
                    List<RealPrompt> examples = reservoirs.getOrDefault(key(dimension, domain.id()), List.of());
                    for (long slot = 0; slot < slots; slot++) {
                        String text = generator.generate(new GenerationRequest(domain, slot,
                                examples.stream().map(RealPrompt::text).toList())).text();
                        synthetic.add(new Synthetic("synthetic/" + key(dimension, domain.id()) + "/" + slot, domain, slot, text,
                                examples.stream().map(RealPrompt::id).toList()));
                    }
                }
            }
            double generationSeconds = (System.nanoTime() - started) / 1e9;
            started = System.nanoTime();
            List<Labels> syntheticLabels = classifyAll(classifier, synthetic.stream().map(Synthetic::text).toList());
            System.out.printf(Locale.ROOT, "synthetic prompts: %,d (%d per domain, %d domains), generated in %.1f s, labelled in %.0f s%n%n",
                    synthetic.size(), slots, synthetic.size() / slots, generationSeconds, (System.nanoTime() - started) / 1e9);

            Map<String, Integer> realIndex = new HashMap<>();
            for (int i = 0; i < real.size(); i++) {
                realIndex.put(real.get(i).id(), i);
            }
            Random random = new Random(seed);

            List<String[]> summary = new ArrayList<>();
            Map<Dimension, Map<String, Survival[]>> perDomain = new LinkedHashMap<>();
            for (Dimension dimension : Dimension.values()) {
                List<Integer> rows = IntStream.range(0, synthetic.size())
                        .filter(i -> synthetic.get(i).domain().dimension() == dimension).boxed().toList();
                List<Integer> pool = inDimension.getOrDefault(dimension, List.of());
                perDomain.put(dimension, new LinkedHashMap<>());
                summary.add(row(dimension.json(), taxonomy.namedDomains(dimension).size(), (int) taxonomy.namedDomains(dimension).stream()
                                .filter(d -> reservoirs.containsKey(key(dimension, d.id()))).count(),
                        synthetic, syntheticLabels, rows, real, realIndex, pool, random, perDomain.get(dimension)));
            }
            List<Integer> all = IntStream.range(0, synthetic.size()).boxed().toList();
            int domainsWithExamples = (int) synthetic.stream().filter(s -> !s.parentIds().isEmpty()).map(s -> key(s.domain().dimension(), s.domain().id())).distinct().count();
            summary.add(row("all", synthetic.size() / slots, domainsWithExamples, synthetic, syntheticLabels, all, real, realIndex,
                    IntStream.range(0, real.size()).boxed().toList(), random, new LinkedHashMap<>()));

            System.out.println("| dimension | domains (with real examples) | synthetic prompts | survival, synthetic only | duplicates, synthetic only: same domain / other domain | survival, after their originals | duplicates matching an original | real prompts (baseline) | survival of real prompts (baseline) | ratio synthetic only / baseline | agreement, primary | agreement, primary or further (kept) |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            summary.forEach(cells -> System.out.println("| " + String.join(" | ", cells) + " |"));
            System.out.println();
            System.out.println("Each row is its own dedup stream (char3, k = 10, one global scope, in stream order): the dimension's "
                    + "synthetic prompts, or all of them. Survival: share of the synthetic prompts kept as unique; \"after their "
                    + "originals\": the reservoirs' real prompts go first. Baseline: an equal number of real prompts of the dimension "
                    + "(counted in it; all of them when fewer), deduplicated alone. Agreement: share of synthetic prompts whose target "
                    + "is the embedded classifier's primary label, or primary or further (delta 0.5): what verification keeps.");

            // What the collisions look like: a few synthetic prompts removed in the all-synthetic stream, beside their match.
            Map<String, Decision> decisions = dedup(ids(synthetic), texts(synthetic));
            Map<String, String> textOf = new HashMap<>();
            synthetic.forEach(s -> textOf.put(s.id(), s.text()));
            System.out.println();
            System.out.println("Examples of removed synthetic prompts (all synthetic prompts in one stream):");
            synthetic.stream().filter(s -> decisions.get(s.id()) instanceof Decision.Duplicate).limit(8).forEach(s -> {
                Decision.Duplicate duplicate = (Decision.Duplicate) decisions.get(s.id());
                System.out.printf("- %s: \"%s\"%n  matched %s at distance %d: \"%s\"%n", s.id().substring(10), s.text(),
                        duplicate.matchedId().substring(10), duplicate.distance(), textOf.get(duplicate.matchedId()));
            });

            for (Dimension dimension : Dimension.values()) {
                System.out.println();
                System.out.printf("### %s, per domain%n%n", dimension.json());
                System.out.println("| domain | real prompts counted | examples given | survival, synthetic only | survival, after their originals | agreement, primary | agreement, primary or further |");
                System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
                for (Domain domain : taxonomy.namedDomains(dimension)) {
                    String key = key(dimension, domain.id());
                    Survival[] survival = perDomain.get(dimension).get(domain.id());
                    int[] agreement = agreement(synthetic, syntheticLabels, i -> synthetic.get(i).domain().equals(domain));
                    System.out.printf(Locale.ROOT, "| %s | %,d | %d | %.3f | %.3f | %.3f | %.3f |%n", domain.id(),
                            counted.getOrDefault(key, 0), reservoirs.getOrDefault(key, List.of()).size(),
                            survival[0].share(), survival[1].share(), (double) agreement[0] / agreement[2], (double) agreement[1] / agreement[2]);
                }
                List<String> without = taxonomy.namedDomains(dimension).stream().map(Domain::id)
                        .filter(id -> !reservoirs.containsKey(key(dimension, id))).toList();
                System.out.printf("%nno real example (generated from the description and shipped examples alone): %d of %d%s%n",
                        without.size(), taxonomy.namedDomains(dimension).size(), without.isEmpty() ? "" : ": " + String.join(", ", without));
            }
        }
    }

    /** One summary row; fills per-domain survival of the dimension. */
    private static String[] row(String name, int domains, int withExamples, List<Synthetic> synthetic, List<Labels> labels,
                                List<Integer> rows, List<RealPrompt> real, Map<String, Integer> realIndex, List<Integer> pool,
                                Random random, Map<String, Survival[]> perDomain) {
        List<Synthetic> measured = rows.stream().map(synthetic::get).toList();
        // The originals they were made from, once each, in stream order.
        Set<String> parentIds = new LinkedHashSet<>();
        measured.forEach(s -> parentIds.addAll(s.parentIds()));
        List<RealPrompt> originals = parentIds.stream().map(realIndex::get).sorted().map(real::get).toList();

        Map<String, Decision> alone = dedup(ids(measured), texts(measured));
        List<String> withIds = new ArrayList<>(originals.stream().map(RealPrompt::id).toList());
        withIds.addAll(ids(measured));
        List<String> withTexts = new ArrayList<>(originals.stream().map(RealPrompt::text).toList());
        withTexts.addAll(texts(measured));
        Map<String, Decision> after = dedup(withIds, withTexts);

        Survival survivalAlone = survival(measured, alone);
        Survival survivalAfter = survival(measured, after);
        Map<Domain, List<Synthetic>> byDomain = new LinkedHashMap<>();
        measured.forEach(s -> byDomain.computeIfAbsent(s.domain(), d -> new ArrayList<>()).add(s));
        byDomain.forEach((domain, list) -> perDomain.put(domain.id(), new Survival[] {survival(list, alone), survival(list, after)}));

        // Baseline: as many real prompts of the dimension, a seeded sample kept in file order.
        List<Integer> sample = new ArrayList<>(pool);
        if (sample.size() > measured.size()) {
            java.util.Collections.shuffle(sample, random);
            sample = new ArrayList<>(sample.subList(0, measured.size()));
            sample.sort(null);
        }
        List<RealPrompt> baseline = sample.stream().map(real::get).toList();
        Map<String, Decision> baselineDecisions = dedup(baseline.stream().map(RealPrompt::id).toList(),
                baseline.stream().map(RealPrompt::text).toList());
        long baselineKept = baselineDecisions.values().stream().filter(d -> d instanceof Decision.Unique).count();
        double baselineShare = (double) baselineKept / baseline.size();

        int[] agreement = agreement(synthetic, labels, rows::contains);
        int duplicatesAfter = survivalAfter.measured() - survivalAfter.kept();
        return new String[] {
                name,
                String.format(Locale.ROOT, "%d (%d)", domains, withExamples),
                String.format(Locale.ROOT, "%,d", measured.size()),
                String.format(Locale.ROOT, "%.3f", survivalAlone.share()),
                String.format(Locale.ROOT, "%d / %d", survivalAlone.matchedSameDomain(),
                        survivalAlone.measured() - survivalAlone.kept() - survivalAlone.matchedSameDomain()),
                String.format(Locale.ROOT, "%.3f", survivalAfter.share()),
                String.format(Locale.ROOT, "%,d of %,d", survivalAfter.matchedOriginal(), duplicatesAfter),
                String.format(Locale.ROOT, "%,d%s", baseline.size(), baseline.size() < measured.size() ? " (all)" : ""),
                String.format(Locale.ROOT, "%.3f", baselineShare),
                String.format(Locale.ROOT, "%.2f", survivalAlone.share() / baselineShare),
                String.format(Locale.ROOT, "%.3f", (double) agreement[0] / agreement[2]),
                String.format(Locale.ROOT, "%.3f", (double) agreement[1] / agreement[2])};
    }

    private static List<String> ids(List<Synthetic> synthetic) {
        return synthetic.stream().map(Synthetic::id).toList();
    }

    private static List<String> texts(List<Synthetic> synthetic) {
        return synthetic.stream().map(Synthetic::text).toList();
    }

    private static Survival survival(List<Synthetic> measured, Map<String, Decision> decisions) {
        int kept = 0;
        int original = 0;
        int sameDomain = 0;
        for (Synthetic s : measured) {
            Decision decision = decisions.get(s.id());
            if (decision instanceof Decision.Duplicate duplicate) {
                if (!duplicate.matchedId().startsWith("synthetic/")) {
                    original++;
                } else if (duplicate.matchedId().startsWith("synthetic/" + key(s.domain().dimension(), s.domain().id()) + "/")) {
                    sameDomain++;
                }
            } else {
                kept++;
            }
        }
        return new Survival(measured.size(), kept, original, sameDomain);
    }

    /** Agreeing on the primary label, agreeing on primary or further, and how many, over the selected synthetic prompts. */
    private static int[] agreement(List<Synthetic> synthetic, List<Labels> labels, Predicate<Integer> selected) {
        int[] counts = new int[3];
        for (int i = 0; i < synthetic.size(); i++) {
            if (!selected.test(i)) {
                continue;
            }
            Domain target = synthetic.get(i).domain();
            DimensionLabel label = labels.get(i).of(target.dimension());
            boolean primary = label.primary().equals(target.id());
            // as the expander's verification (SyntheticPrompts.agrees): primary or a further domain
            boolean further = primary || label.further().stream().anyMatch(score -> score.domain().equals(target.id()));
            counts[0] += primary ? 1 : 0;
            counts[1] += further ? 1 : 0;
            counts[2]++;
        }
        return counts;
    }

    /**
     * Decisions by the Hamming rule at k = 10 (fingerprint version 1, the dedup default before version 2: the figures in
     * docs/benchmarks.md were measured with it), one global scope, in the given order.
     */
    static Map<String, Decision> dedup(List<String> ids, List<String> texts) {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize(FingerprintConfig.DEFAULT.version());
        SimHasher hasher = new SimHasher(FingerprintConfig.DEFAULT);
        Map<String, Decision> decisions = new HashMap<>();
        try (NearDuplicateIndex index = new NearDuplicateIndex(store, FingerprintConfig.DEFAULT_THRESHOLD)) {
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<Candidate> batch = new ArrayList<>();
                for (int i = from; i < Math.min(ids.size(), from + BATCH); i++) {
                    batch.add(new Candidate(ids.get(i), hasher.fingerprint(texts.get(i))));
                }
                index.decide(batch).forEach(decision -> decisions.put(decision.id(), decision));
            }
        }
        return decisions;
    }

    /** As the expander counts a prompt in a dimension: its primary domain unless none, and its further domains. */
    static Set<String> domainsOf(DimensionLabel label) {
        Set<String> domains = new LinkedHashSet<>();
        if (!label.isNone()) {
            domains.add(label.primary());
        }
        label.further().stream().map(DomainScore::domain).forEach(domains::add);
        return domains;
    }

    /** CoverageStore's replacement index: XXH3 of the id, mod 1,000,000,007 (then mod n in the script). */
    static long replacementHash(String id) {
        return Long.remainderUnsigned(Hashing.xxh3_64().hashBytesToLong(id.getBytes(StandardCharsets.UTF_8)), 1_000_000_007L);
    }

    private static String key(Dimension dimension, String domain) {
        return dimension.json() + ":" + domain;
    }

    static List<Labels> classifyAll(EmbeddedPromptClassifier classifier, List<String> texts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(classifier.parallelism());
        try {
            List<Future<Labels>> futures = new ArrayList<>(texts.size());
            for (String text : texts) {
                futures.add(pool.submit(() -> classifier.classify(text)));
            }
            List<Labels> labels = new ArrayList<>(texts.size());
            for (Future<Labels> future : futures) {
                labels.add(future.get());
            }
            return labels;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The real prompts of the four sources the other benchmarks use, in file order, with the ids ingest gives them. */
    static List<RealPrompt> realPrompts(Path data) throws IOException {
        List<RealPrompt> prompts = new ArrayList<>();
        read(data.resolve("awesome-chatgpt-prompts/prompts.csv"), "prompt", prompts);
        read(data.resolve("advbench/harmful_behaviors.csv"), "goal", prompts);
        read(data.resolve("harmbench/harmbench_behaviors_text_all.csv"), "Behavior", prompts);
        read(data.resolve("valuebench/value_orientation.csv"), "question", prompts);
        return prompts;
    }

    private static void read(Path file, String column, List<RealPrompt> into) throws IOException {
        String dataset = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file);
             CsvPromptReader reader = new CsvPromptReader(in, ',', new ColumnSelection(column, List.of()), 1 << 22)) {
            ReadResult result;
            while ((result = reader.next()) != null) {
                if (result instanceof ReadResult.Row row && !row.text().isBlank()) {
                    into.add(new RealPrompt(PromptIds.of(dataset, row.row(), row.text()), dataset, row.text()));
                }
            }
        }
    }
}
