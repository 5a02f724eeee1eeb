package io.misalignstream.bench;

import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.Decision;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.InMemoryIndexStore;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.PromptSketcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What near-duplicate removal does to whole real corpora: each source of DATA_DIR, and their union, is
 * deduplicated in file order in batches of 1,000 (as the service takes them), under the rule before fingerprint
 * version 2 (k = 10, Hamming only) and the default rule, in one run. A removal whose match holds under half of the
 * removed prompt's distinct words is counted as a false merge, as a share of all the corpus's prompts, by length
 * band (normalised characters: under 60, 60 to 499, 500 and more), with examples.
 *
 * <p>Usage: {@code CorpusMergeBenchmark DATA_DIR [EXAMPLES]}.
 */
public final class CorpusMergeBenchmark {

    private static final int BATCH = 1000;
    private static final int[] BANDS = {60, 500};

    record Setting(String name, FingerprintConfig features, DuplicateRule rule) {
    }

    record Result(int removed, int[] falseMerges, int[] prompts, List<String> examples) {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        int examples = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Setting> settings = List.of(
                new Setting("simhash1 k=10 (before)", FingerprintConfig.parse("simhash1-char3"), DuplicateRule.hammingOnly(10)),
                new Setting("simhash2 (default)", FingerprintConfig.DEFAULT,
                        DuplicateRule.verified(FingerprintConfig.DEFAULT_THRESHOLD, DuplicateRule.DEFAULT_MIN_SIMILARITY)));
        Map<String, List<String>> sources = new LinkedHashMap<>(corpora(data));
        List<String> union = new ArrayList<>();
        sources.values().forEach(union::addAll);
        sources.put("union", union);

        System.out.println("false merge = removed against a match that holds under half of the removed prompt's distinct words;"
                + " shares of all prompts of the corpus (of the band's prompts in the band columns)");
        System.out.println();
        System.out.println("| corpus | rule | prompts (<60 / 60-499 / 500+) | removed | false merges | <60 | 60-499 | 500+ |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, List<String>> source : sources.entrySet()) {
            List<String> texts = source.getValue();
            for (Setting setting : settings) {
                Result result = run(texts, setting, examples);
                int total = texts.size();
                int merges = result.falseMerges[0] + result.falseMerges[1] + result.falseMerges[2];
                System.out.printf(Locale.ROOT, "| %s | %s | %,d (%,d / %,d / %,d) | %,d (%.2f%%) | %,d (**%.3f%%**) | %s | %s | %s |%n",
                        source.getKey(), setting.name, total, result.prompts[0], result.prompts[1], result.prompts[2],
                        result.removed, 100.0 * result.removed / total, merges, 100.0 * merges / total,
                        share(result.falseMerges[0], result.prompts[0]), share(result.falseMerges[1], result.prompts[1]),
                        share(result.falseMerges[2], result.prompts[2]));
                if (!source.getKey().equals("union")) {
                    result.examples.forEach(example -> shown.add(source.getKey() + ", " + setting.name + ": " + example));
                }
            }
        }
        System.out.println();
        System.out.println("Examples of false merges (removed <- match, distance, similarity):");
        shown.forEach(line -> System.out.println("- " + line));
    }

    private static String share(int count, int of) {
        return of == 0 ? "-" : String.format(Locale.ROOT, "%,d (%.2f%%)", count, 100.0 * count / of);
    }

    static Result run(List<String> texts, Setting setting, int examples) {
        PromptSketcher sketcher = new PromptSketcher(setting.features);
        List<Candidate> candidates = new ArrayList<>(texts.size());
        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String id = String.format("%08d", i);
            candidates.add(sketcher.candidate(id, texts.get(i)));
            rowOf.put(id, i);
        }
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("bench");
        List<Decision> decisions = new ArrayList<>(texts.size());
        try (NearDuplicateIndex index = new NearDuplicateIndex(store, null, setting.rule, 2)) {
            for (int from = 0; from < candidates.size(); from += BATCH) {
                decisions.addAll(index.decide(candidates.subList(from, Math.min(candidates.size(), from + BATCH))));
            }
        }
        int removed = 0;
        int[] falseMerges = new int[3];
        int[] prompts = new int[3];
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            int band = band(texts.get(i));
            prompts[band]++;
            if (decisions.get(i) instanceof Decision.Duplicate duplicate) {
                removed++;
                String matched = texts.get(rowOf.get(duplicate.matchedId()));
                if (sharedWords(texts.get(i), matched) < 0.5) {
                    falseMerges[band]++;
                    if (shown.size() < examples) {
                        shown.add(String.format(Locale.ROOT, "\"%s\" <- \"%s\", %d, %s", clip(texts.get(i)), clip(matched),
                                duplicate.distance(), duplicate.similarity() == null ? "-" : String.format(Locale.ROOT, "%.3f", duplicate.similarity())));
                    }
                }
            }
        }
        return new Result(removed, falseMerges, prompts, shown);
    }

    private static int band(String text) {
        int length = io.misalignstream.simhash.TextNormalizer.normalize(text).length();
        return length < BANDS[0] ? 0 : length < BANDS[1] ? 1 : 2;
    }

    /** The share of the prompt's distinct words that the other prompt holds. */
    static double sharedWords(String prompt, String other) {
        Set<String> words = new HashSet<>(NearDuplicateBenchmark.words(prompt));
        if (words.isEmpty()) {
            return 1.0;
        }
        Set<String> others = new HashSet<>(NearDuplicateBenchmark.words(other));
        return (double) words.stream().filter(others::contains).count() / words.size();
    }

    private static String clip(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= 90 ? line : line.substring(0, 87) + "...";
    }

    /** Every text corpus of DATA_DIR: the four of the pairs benchmark, AdvBench's strings, ETHICS and the short query sets. */
    static Map<String, List<String>> corpora(Path data) throws IOException {
        Map<String, List<String>> corpora = new LinkedHashMap<>(NearDuplicateBenchmark.sources(data));
        corpora.put("advbench strings", NearDuplicateBenchmark.column(data.resolve("advbench/harmful_strings.csv"), "target"));
        corpora.put("ethics commonsense", NearDuplicateBenchmark.column(data.resolve("ethics/cm_test.csv"), "input"));
        corpora.put("ethics deontology", NearDuplicateBenchmark.column(data.resolve("ethics/deontology_test.csv"), "scenario"));
        corpora.put("ethics justice", NearDuplicateBenchmark.column(data.resolve("ethics/justice_test.csv"), "scenario"));
        corpora.put("ethics virtue", NearDuplicateBenchmark.column(data.resolve("ethics/virtue_test.csv"), "scenario"));
        corpora.putAll(NearDuplicateBenchmark.shortQueries(data));
        return corpora;
    }
}
