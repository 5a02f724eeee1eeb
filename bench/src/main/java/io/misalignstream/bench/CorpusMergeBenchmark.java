package io.misalignstream.bench;

import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.Decision;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.InMemoryIndexStore;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.SimHasher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What near-duplicate removal does to whole real corpora, beside the labelled pairs: each source of
 * DATA_DIR is deduplicated in file order, and every removed prompt is compared with the prompt it was
 * matched to. A removal whose word-3-gram Jaccard similarity with its match is below 0.5 is counted as a
 * probable false merge (the pair benchmark's baseline calls such pairs distinct). Split by length: short
 * prompts (up to 500 characters, the papers' kind) and long ones (system prompts of thousands).
 *
 * <p>Usage: {@code CorpusMergeBenchmark DATA_DIR [FEATURES] [K...]}.
 */
public final class CorpusMergeBenchmark {

    private static final int SHORT = 500;

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        FingerprintConfig features = args.length > 1 ? FingerprintConfig.parse(args[1]) : FingerprintConfig.DEFAULT;
        List<Integer> thresholds = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            thresholds.add(Integer.parseInt(args[i]));
        }
        if (thresholds.isEmpty()) {
            thresholds = List.of(3, 6, 10, 12);
        }
        Map<String, List<String>> sources = NearDuplicateBenchmark.sources(data);
        System.out.printf("features %s; false merge = removed, word-3-gram Jaccard with its match < 0.5%n%n", features.version());
        System.out.println("| source | k | prompts (short / long) | removed | false merges, short prompts | false merges, long prompts |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        SimHasher hasher = new SimHasher(features);
        for (Map.Entry<String, List<String>> source : sources.entrySet()) {
            List<String> texts = source.getValue();
            List<Candidate> candidates = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                candidates.add(new Candidate(String.format("%08d", i), hasher.fingerprint(texts.get(i))));
            }
            long shortPrompts = texts.stream().filter(text -> text.length() <= SHORT).count();
            for (int k : thresholds) {
                InMemoryIndexStore store = new InMemoryIndexStore();
                store.initialize("bench");
                List<Decision> decisions = new NearDuplicateIndex(store, k).decide(candidates);
                int removed = 0;
                int[] falseMerges = new int[2];
                Map<String, Integer> rowOf = new HashMap<>();
                for (int i = 0; i < candidates.size(); i++) {
                    rowOf.put(candidates.get(i).id(), i);
                }
                for (int i = 0; i < decisions.size(); i++) {
                    if (decisions.get(i) instanceof Decision.Duplicate duplicate) {
                        removed++;
                        String matched = texts.get(rowOf.get(duplicate.matchedId()));
                        double similarity = NearDuplicateBenchmark.jaccard(NearDuplicateBenchmark.shingles(texts.get(i)),
                                NearDuplicateBenchmark.shingles(matched));
                        if (similarity < 0.5) {
                            falseMerges[texts.get(i).length() <= SHORT ? 0 : 1]++;
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %,d (%,d / %,d) | %,d | %,d (%.1f%%) | %,d (%.1f%%) |%n", source.getKey(), k,
                        texts.size(), shortPrompts, texts.size() - shortPrompts, removed,
                        falseMerges[0], 100.0 * falseMerges[0] / Math.max(1, shortPrompts),
                        falseMerges[1], 100.0 * falseMerges[1] / Math.max(1, texts.size() - shortPrompts));
            }
        }
    }
}
