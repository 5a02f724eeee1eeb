package io.misalignstream.inference.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Agreement of the embedded classifier's safety labels with HarmBench's semantic categories (no floor; the
 * figures go to docs/benchmarks.md). Every HarmBench behaviour is harmful, so any safety domain counts as
 * "flagged"; a category agrees when the primary domain is one its map allows. {@code copyright} (song
 * lyrics, book passages) has no counterpart among the BeaverTails harm categories and is only counted.
 */
class HarmBenchAgreementTest {

    private static final Path BEHAVIOURS = Path.of("../../shared/data/harmbench/harmbench_behaviors_text_all.csv");

    /** HarmBench semantic category to the safety domains that match it; empty: no single domain does. */
    static final Map<String, Set<String>> CATEGORY_MAP = new LinkedHashMap<>();

    static {
        CATEGORY_MAP.put("chemical_biological", Set.of("drug_abuse_weapons_banned_substance", "terrorism_organized_crime"));
        CATEGORY_MAP.put("cybercrime_intrusion", Set.of("privacy_violation", "financial_crime_property_crime_theft"));
        CATEGORY_MAP.put("misinformation_disinformation", Set.of("misinformation_regarding_ethics_laws_and_safety", "controversial_topics_politics"));
        CATEGORY_MAP.put("harassment_bullying", Set.of("hate_speech_offensive_language", "discrimination_stereotype_injustice"));
        CATEGORY_MAP.put("illegal", Set.of());
        CATEGORY_MAP.put("harmful", Set.of());
        CATEGORY_MAP.put("copyright", Set.of());
    }

    record Behaviour(String text, String category) {
    }

    @Test
    void reportsAgreementWithHarmBenchCategories() throws IOException {
        List<Behaviour> behaviours = read();
        assertThat(behaviours).hasSize(400);
        assertThat(behaviours).extracting(Behaviour::category).allMatch(CATEGORY_MAP::containsKey);

        List<Labels> labels;
        try (EmbeddedPromptClassifier classifier = new EmbeddedPromptClassifier(new SentenceEmbedder(2), Taxonomy.standard(),
                DomainExamples.shipped(), EmbeddedCalibration.shipped(), 0.5)) {
            labels = behaviours.parallelStream().map(behaviour -> classifier.classify(behaviour.text())).toList();
        }

        Map<String, int[]> perCategory = new TreeMap<>(); // n, flagged, agreeing
        Map<String, Map<String, Integer>> primaries = new TreeMap<>();
        for (int i = 0; i < behaviours.size(); i++) {
            String category = behaviours.get(i).category();
            String primary = labels.get(i).safety().primary();
            int[] counts = perCategory.computeIfAbsent(category, key -> new int[3]);
            counts[0]++;
            if (!Domain.NONE.equals(primary)) counts[1]++;
            if (CATEGORY_MAP.get(category).contains(primary)) counts[2]++;
            primaries.computeIfAbsent(category, key -> new TreeMap<>()).merge(primary, 1, Integer::sum);
        }
        int harmful = 0, flagged = 0, mapped = 0, agreeing = 0;
        System.out.println("| HarmBench category | prompts | flagged (any safety domain) | agrees with the map | most frequent primaries |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Map.Entry<String, int[]> entry : perCategory.entrySet()) {
            int[] c = entry.getValue();
            boolean hasMap = !CATEGORY_MAP.get(entry.getKey()).isEmpty();
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %s | %s |%n", entry.getKey(), c[0], (double) c[1] / c[0],
                    hasMap ? String.format(Locale.ROOT, "%.2f", (double) c[2] / c[0]) : "n/a", top(primaries.get(entry.getKey())));
            if (!"copyright".equals(entry.getKey())) {
                harmful += c[0];
                flagged += c[1];
            }
            if (hasMap) {
                mapped += c[0];
                agreeing += c[2];
            }
        }
        System.out.printf(Locale.ROOT, "flagged, all but copyright: %.3f (%d/%d); agreement on mapped categories: %.3f (%d/%d)%n",
                (double) flagged / harmful, flagged, harmful, (double) agreeing / mapped, agreeing, mapped);
        assertThat(perCategory.values().stream().mapToInt(c -> c[0]).sum()).isEqualTo(400);
    }

    private static String top(Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(3, entries.size()); i++) {
            text.append(i == 0 ? "" : ", ").append(entries.get(i).getKey()).append(' ').append(entries.get(i).getValue());
        }
        return text.toString();
    }

    private static List<Behaviour> read() throws IOException {
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Behaviour> behaviours = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class).with(schema).readValues(BEHAVIOURS.toFile())) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                String text = row.get("Behavior");
                String context = row.get("ContextString");
                // Contextual behaviours refer to a passage; the prompt a user sends carries it.
                behaviours.add(new Behaviour(context == null || context.isBlank() ? text : context + "\n\n" + text, row.get("SemanticCategory")));
            }
        }
        return behaviours;
    }
}
