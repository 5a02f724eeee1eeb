package io.misalignstream.bench;

import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.cli.ingest.CsvPromptReader;
import io.misalignstream.cli.ingest.ReadResult;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FeatureKind;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.PromptSketcher;
import io.misalignstream.simhash.SimHasher;
import io.misalignstream.simhash.TextNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Near-duplicate quality of SimHash settings on labelled pairs made from real prompts: light edits
 * (positives), heavy rewrites (reported apart) and distinct prompts (negatives: random ones, and the
 * lexically closest other prompt of the same source). Reports recall per edit type, false positive
 * rate per negative type and precision/recall of light edits against the negatives, for each
 * feature setting and threshold k, beside a word-3-gram Jaccard baseline on the same pairs.
 *
 * <p>Usage: {@code NearDuplicateBenchmark DATA_DIR [BASES_PER_SOURCE] [SEED]}.
 */
public final class NearDuplicateBenchmark {

    static final List<String> LIGHT = List.of("typo", "two typos", "word inserted", "word deleted", "words swapped",
            "punctuation and case", "prefix or suffix");
    static final String HEAVY = "heavy rewrite";
    static final List<String> NEGATIVE = List.of("distinct (random)", "distinct (closest in source)");
    static final int[] THRESHOLDS = {3, 6, 10, 12};
    static final List<FingerprintConfig> CONFIGS = List.of(
            new FingerprintConfig(FeatureKind.WORD, 1), new FingerprintConfig(FeatureKind.WORD, 2),
            new FingerprintConfig(FeatureKind.WORD, 3), new FingerprintConfig(FeatureKind.CHAR, 3),
            new FingerprintConfig(FeatureKind.CHAR, 4), new FingerprintConfig(FeatureKind.CHAR, 5),
            new FingerprintConfig(FeatureKind.CHAR, 6));
    private static final List<String> FILLERS = List.of("really", "also", "just", "very", "please", "now", "quite", "then");

    record Pair(String type, String a, String b) {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        int perSource = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261122L;
        Random random = new Random(seed);

        Map<String, List<String>> sources = sources(data);

        List<Pair> pairs = new ArrayList<>();
        for (Map.Entry<String, List<String>> source : sources.entrySet()) {
            List<String> prompts = new ArrayList<>(new LinkedHashSet<>(source.getValue()));
            prompts.removeIf(p -> words(p).size() < 6);
            Collections.shuffle(prompts, random);
            List<String> bases = prompts.subList(0, Math.min(perSource, prompts.size()));
            for (String base : bases) {
                for (String type : LIGHT) {
                    pairs.add(new Pair(type, base, edit(type, base, random)));
                }
                pairs.add(new Pair(HEAVY, base, heavyRewrite(base, prompts, random)));
                for (int i = 0; i < LIGHT.size() - 1; i++) {
                    String other = prompts.get(random.nextInt(prompts.size()));
                    if (!other.equals(base)) {
                        pairs.add(new Pair(NEGATIVE.get(0), base, other));
                    }
                }
                pairs.add(new Pair(NEGATIVE.get(1), base, closest(base, prompts)));
            }
        }
        System.out.printf("pairs: %,d from %d sources (seed %d)%n%n", pairs.size(), sources.size(), seed);

        Map<String, BiFunction<String, String, Boolean>> settings = new LinkedHashMap<>();
        settings.put("simhash2 default (k=10 widened for short texts, similarity >= 0.5)", defaultRule());
        for (FingerprintConfig config : CONFIGS) {
            SimHasher hasher = new SimHasher(config);
            for (int k : THRESHOLDS) {
                settings.put(config.version().replaceFirst("simhash\\d-", "") + " k=" + k,
                        (a, b) -> Long.bitCount(hasher.fingerprint(a) ^ hasher.fingerprint(b)) <= k);
            }
        }
        settings.put("jaccard word3 >= 0.5", (a, b) -> jaccard(shingles(a), shingles(b)) >= 0.5);
        settings.put("jaccard word3 >= 0.7", (a, b) -> jaccard(shingles(a), shingles(b)) >= 0.7);

        List<String> columns = new ArrayList<>(LIGHT);
        columns.add(HEAVY);
        columns.addAll(NEGATIVE);
        StringBuilder header = new StringBuilder("| setting | precision | recall (light) |");
        StringBuilder rule = new StringBuilder("| --- | --- | --- |");
        for (String column : columns) {
            header.append(' ').append(column).append(" |");
            rule.append(" --- |");
        }
        System.out.println(header);
        System.out.println(rule);
        for (Map.Entry<String, BiFunction<String, String, Boolean>> setting : settings.entrySet()) {
            Map<String, int[]> byType = new LinkedHashMap<>();
            for (Pair pair : pairs) {
                int[] counts = byType.computeIfAbsent(pair.type(), t -> new int[2]);
                counts[1]++;
                if (setting.getValue().apply(pair.a(), pair.b())) {
                    counts[0]++;
                }
            }
            long tp = LIGHT.stream().mapToLong(t -> byType.get(t)[0]).sum();
            long positives = LIGHT.stream().mapToLong(t -> byType.get(t)[1]).sum();
            long fp = NEGATIVE.stream().mapToLong(t -> byType.get(t)[0]).sum();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.3f | %.3f |", setting.getKey(),
                    tp + fp == 0 ? 0.0 : (double) tp / (tp + fp), (double) tp / positives));
            for (String column : columns) {
                int[] counts = byType.get(column);
                row.append(String.format(Locale.ROOT, " %.3f |", (double) counts[0] / counts[1]));
            }
            System.out.println(row);
        }
        System.out.println();
        System.out.println("Cells under edit types: share of pairs flagged as near-duplicates (recall for edits, "
                + "false positive rate for distinct pairs). Precision: light edits against both kinds of distinct pairs.");
        System.out.println();
        shortQueryRecall(data, perSource * 5, random);
    }

    /** The default rule, pair by pair: what the index decides for a candidate against one accepted prompt. */
    private static BiFunction<String, String, Boolean> defaultRule() {
        PromptSketcher sketcher = new PromptSketcher(FingerprintConfig.DEFAULT);
        DuplicateRule rule = DuplicateRule.verified(FingerprintConfig.DEFAULT_THRESHOLD, DuplicateRule.DEFAULT_MIN_SIMILARITY);
        return (a, b) -> rule.matches(sketcher.candidate("a", a), sketcher.candidate("b", b));
    }

    /**
     * Light edits of real short queries (under 60 normalised characters, at least two words), by length band, under the
     * rule before fingerprint version 2 (k = 10) and the default; an edit that leaves the text as it was is not counted.
     */
    static void shortQueryRecall(Path data, int perSource, Random random) throws IOException {
        SimHasher before = new SimHasher(FingerprintConfig.DEFAULT);
        BiFunction<String, String, Boolean> rule = defaultRule();
        int[] bands = {20, 30, 40, 60};
        long[][] counts = new long[bands.length][3];
        for (Map.Entry<String, List<String>> source : shortQueries(data).entrySet()) {
            List<String> queries = new ArrayList<>(new LinkedHashSet<>(source.getValue()));
            queries.removeIf(q -> words(q).size() < 2 || q.split(" ").length < 2 || TextNormalizer.normalize(q).length() >= 60);
            Collections.shuffle(queries, random);
            for (String base : queries.subList(0, Math.min(perSource, queries.size()))) {
                int length = TextNormalizer.normalize(base).length();
                int band = 0;
                while (length >= bands[band]) {
                    band++;
                }
                for (String type : LIGHT) {
                    String edited = edit(type, base, random);
                    if (TextNormalizer.normalize(edited).equals(TextNormalizer.normalize(base))) {
                        continue;
                    }
                    counts[band][0]++;
                    if (Long.bitCount(before.fingerprint(base) ^ before.fingerprint(edited)) <= 10) {
                        counts[band][1]++;
                    }
                    if (rule.apply(base, edited)) {
                        counts[band][2]++;
                    }
                }
            }
        }
        System.out.println("Light edits of short queries (clinc150, banking77, query-wellformedness; under 60 characters):");
        System.out.println();
        System.out.println("| normalised length | edited pairs | recall, simhash1 k=10 (before) | recall, simhash2 default |");
        System.out.println("| --- | --- | --- | --- |");
        long[] all = new long[3];
        for (int band = 0; band < bands.length; band++) {
            System.out.printf(Locale.ROOT, "| %s-%d | %,d | %.3f | %.3f |%n", band == 0 ? "0" : String.valueOf(bands[band - 1]),
                    bands[band] - 1, counts[band][0], (double) counts[band][1] / counts[band][0], (double) counts[band][2] / counts[band][0]);
            for (int i = 0; i < 3; i++) {
                all[i] += counts[band][i];
            }
        }
        System.out.printf(Locale.ROOT, "| all under 60 | %,d | %.3f | **%.3f** |%n", all[0], (double) all[1] / all[0], (double) all[2] / all[0]);
    }

    /** The short real query sets of DATA_DIR. */
    static Map<String, List<String>> shortQueries(Path data) throws IOException {
        Map<String, List<String>> sources = new LinkedHashMap<>();
        for (String name : List.of("clinc150", "banking77", "query-wellformedness")) {
            sources.put(name, column(data.resolve(name + "/prompts.csv"), "prompt"));
        }
        return sources;
    }

    /** The prompt text of each source of DATA_DIR, by source name, in file order. */
    static Map<String, List<String>> sources(Path data) throws IOException {
        Map<String, List<String>> sources = new LinkedHashMap<>();
        sources.put("awesome-chatgpt-prompts", column(data.resolve("awesome-chatgpt-prompts/prompts.csv"), "prompt"));
        sources.put("advbench", column(data.resolve("advbench/harmful_behaviors.csv"), "goal"));
        sources.put("harmbench", column(data.resolve("harmbench/harmbench_behaviors_text_all.csv"), "Behavior"));
        sources.put("valuebench", column(data.resolve("valuebench/value_orientation.csv"), "question"));
        return sources;
    }

    static List<String> column(Path file, String column) throws IOException {
        List<String> texts = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             CsvPromptReader reader = new CsvPromptReader(in, ',', new ColumnSelection(column, List.of()), 1 << 22)) {
            ReadResult result;
            while ((result = reader.next()) != null) {
                if (result instanceof ReadResult.Row row && !row.text().isBlank()) {
                    texts.add(row.text().strip());
                }
            }
        }
        return texts;
    }

    static String edit(String type, String text, Random random) {
        List<String> words = new ArrayList<>(List.of(text.split(" ")));
        switch (type) {
            case "typo" -> typo(words, random);
            case "two typos" -> {
                typo(words, random);
                typo(words, random);
            }
            case "word inserted" -> words.add(random.nextInt(words.size() + 1), FILLERS.get(random.nextInt(FILLERS.size())));
            case "word deleted" -> words.remove(random.nextInt(words.size()));
            case "words swapped" -> {
                int i = random.nextInt(words.size() - 1);
                Collections.swap(words, i, i + 1);
            }
            case "punctuation and case" -> {
                String joined = String.join(" ", words);
                joined = random.nextBoolean() ? joined.toUpperCase(Locale.ROOT) : joined.toLowerCase(Locale.ROOT);
                joined = joined.replace(",", "").replace(".", "!") + (random.nextBoolean() ? "?" : " ...");
                return joined;
            }
            case "prefix or suffix" -> {
                return switch (random.nextInt(3)) {
                    case 0 -> "Please " + text;
                    case 1 -> "Can you help me? " + text;
                    default -> text + " Thanks!";
                };
            }
            default -> throw new IllegalArgumentException(type);
        }
        return String.join(" ", words);
    }

    private static void typo(List<String> words, Random random) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).length() >= 4) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        int index = candidates.get(random.nextInt(candidates.size()));
        StringBuilder word = new StringBuilder(words.get(index));
        int at = 1 + random.nextInt(word.length() - 2);
        switch (random.nextInt(3)) {
            case 0 -> {
                char c = word.charAt(at);
                word.setCharAt(at, word.charAt(at + 1));
                word.setCharAt(at + 1, c);
            }
            case 1 -> word.deleteCharAt(at);
            default -> word.insert(at, word.charAt(at));
        }
        words.set(index, word.toString());
    }

    /** About 40% of the words replaced by words of other prompts, and the two halves swapped. */
    static String heavyRewrite(String text, List<String> prompts, Random random) {
        List<String> words = new ArrayList<>(List.of(text.split(" ")));
        for (int i = 0; i < words.size(); i++) {
            if (random.nextDouble() < 0.4) {
                List<String> donor = List.of(prompts.get(random.nextInt(prompts.size())).split(" "));
                words.set(i, donor.get(random.nextInt(donor.size())));
            }
        }
        int half = words.size() / 2;
        List<String> swapped = new ArrayList<>(words.subList(half, words.size()));
        swapped.addAll(words.subList(0, half));
        return String.join(" ", swapped);
    }

    /** The other prompt of the source with the highest word Jaccard similarity to this one. */
    static String closest(String base, List<String> prompts) {
        Set<String> baseWords = new HashSet<>(words(base));
        String best = null;
        double bestScore = -1;
        for (String other : prompts) {
            if (other.equals(base)) {
                continue;
            }
            double score = jaccard(baseWords, new HashSet<>(words(other)));
            if (score > bestScore) {
                best = other;
                bestScore = score;
            }
        }
        return best;
    }

    static List<String> words(String text) {
        String normalized = TextNormalizer.normalize(text);
        return normalized.isEmpty() ? List.of() : List.of(normalized.split(" "));
    }

    static Set<String> shingles(String text) {
        List<String> words = words(text);
        Set<String> shingles = new HashSet<>();
        for (int i = 0; i + 3 <= words.size(); i++) {
            shingles.add(String.join(" ", words.subList(i, i + 3)));
        }
        if (shingles.isEmpty()) {
            shingles.add(String.join(" ", words));
        }
        return shingles;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        int common = 0;
        for (String s : a) {
            if (b.contains(s)) {
                common++;
            }
        }
        int union = a.size() + b.size() - common;
        return union == 0 ? 1.0 : (double) common / union;
    }
}
