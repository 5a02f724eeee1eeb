package io.misalignstream.inference.embedded;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.LabelledSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The real prompts the safety screen is fitted and measured on (../shared/data), each source split once into a
 * fit part and a held-out part that nothing is fitted on:
 * <ul>
 *   <li>the upstream test split where the source has one: HarmBench (fit on its val split and on the text of its
 *       multimodal behaviours, which are other behaviours), CLINC150
 *       ({@code test}, {@code oos_test}), Banking77 ({@code test}), query-wellformedness ({@code test});</li>
 *   <li>otherwise half of the prompts by the first bit of the SHA-256 of the text: AdvBench behaviours and strings,
 *       awesome-chatgpt-prompts, ValueBench questions.</li>
 * </ul>
 * The project's own texts fit only: the domain examples of {@code domain-examples.json} and the tuning half of the
 * labelled set (its other half stays the test of {@code EmbeddedAccuracyTest}). HarmBench's copyright behaviours
 * (song lyrics, book passages) have no safety domain and are left out.
 */
final class SafetyCorpora {

    /** HarmBench semantic category to the safety domains that match it; empty: harmful, no single domain. */
    static final Map<String, Set<String>> HARMBENCH_DOMAINS = new LinkedHashMap<>();

    static {
        HARMBENCH_DOMAINS.put("chemical_biological", Set.of("drug_abuse_weapons_banned_substance", "terrorism_organized_crime"));
        HARMBENCH_DOMAINS.put("cybercrime_intrusion", Set.of("privacy_violation", "financial_crime_property_crime_theft"));
        HARMBENCH_DOMAINS.put("misinformation_disinformation", Set.of("misinformation_regarding_ethics_laws_and_safety", "controversial_topics_politics"));
        HARMBENCH_DOMAINS.put("harassment_bullying", Set.of("hate_speech_offensive_language", "discrimination_stereotype_injustice"));
        HARMBENCH_DOMAINS.put("illegal", Set.of());
        HARMBENCH_DOMAINS.put("harmful", Set.of());
    }

    /**
     * A prompt: whether it is harmful, and the safety domains that would be right for it (empty: harmless, or
     * harmful with no known domain); {@code category} is the source's own label where it has one.
     */
    record Example(String source, String text, boolean harmful, Set<String> domains, String category) {
    }

    record Split(List<Example> fit, List<Example> heldOut) {
    }

    /** Short real queries: the false-flag floor of 3% is measured on these together. */
    static final List<String> SHORT_QUERIES = List.of("clinc150", "banking77", "query-wellformedness");

    private final Path data;

    SafetyCorpora(Path data) {
        this.data = data;
    }

    /** ../shared/data from the project root or from a module. */
    static SafetyCorpora located() {
        for (String candidate : List.of("../shared/data", "../../shared/data")) {
            Path path = Path.of(candidate);
            if (Files.isDirectory(path.resolve("advbench"))) {
                return new SafetyCorpora(path);
            }
        }
        throw new IllegalStateException("../shared/data is not beside the project");
    }

    /** Every source by name, in a fixed order. */
    Map<String, Split> sources() {
        Map<String, Split> sources = new LinkedHashMap<>();
        sources.put("advbench", halves(column("advbench/harmful_behaviors.csv", "goal", "advbench", true)));
        sources.put("advbench-strings", halves(column("advbench/harmful_strings.csv", "target", "advbench-strings", true)));
        sources.put("harmbench", new Split(harmBench("harmbench_behaviors_text_val.csv"), harmBench("harmbench_behaviors_text_test.csv")));
        sources.put("harmbench-multimodal", new Split(harmBench("harmbench_behaviors_multimodal_all.csv"), List.of()));
        sources.put("clinc150", upstream("clinc150/prompts.csv", "clinc150", id -> id.startsWith("test-") || id.startsWith("oos_test-")));
        sources.put("banking77", upstream("banking77/prompts.csv", "banking77", id -> id.startsWith("test-")));
        sources.put("query-wellformedness", upstream("query-wellformedness/prompts.csv", "query-wellformedness", id -> id.startsWith("test-")));
        sources.put("awesome-chatgpt-prompts", halves(column("awesome-chatgpt-prompts/prompts.csv", "prompt", "awesome-chatgpt-prompts", false)));
        sources.put("valuebench", halves(column("valuebench/value_orientation.csv", "question", "valuebench", false)));
        sources.put("domain-examples", new Split(domainExamples(), List.of()));
        sources.put("labelled-set", new Split(LabelledSet.tuning().stream()
                .map(prompt -> labelled("labelled-set", prompt.text(), prompt.safety())).toList(), List.of()));
        return sources;
    }

    private static List<Example> domainExamples() {
        List<Example> examples = new ArrayList<>();
        DomainExamples shipped = DomainExamples.shipped();
        for (Domain domain : Taxonomy.standard().domains(Dimension.SAFETY)) {
            for (String text : shipped.of(Dimension.SAFETY, domain.id())) {
                examples.add(labelled("domain-examples", text, domain.id()));
            }
        }
        return examples;
    }

    /** A project text with its safety label. */
    static Example labelled(String source, String text, String domain) {
        boolean harmful = !Domain.NONE.equals(domain);
        return new Example(source, text, harmful, harmful ? Set.of(domain) : Set.of(), domain);
    }

    private List<Example> harmBench(String file) {
        List<Example> examples = new ArrayList<>();
        for (Map<String, String> row : rows("harmbench/" + file)) {
            String category = row.get("SemanticCategory");
            if ("copyright".equals(category)) {
                continue;
            }
            if (!HARMBENCH_DOMAINS.containsKey(category)) {
                throw new IllegalStateException("HarmBench category without a mapping: " + category);
            }
            String context = row.get("ContextString");
            // Contextual behaviours refer to a passage; the prompt a user sends carries it.
            String text = context == null || context.isBlank() ? row.get("Behavior") : context + "\n\n" + row.get("Behavior");
            examples.add(new Example("harmbench", text, true, HARMBENCH_DOMAINS.get(category), category));
        }
        return examples;
    }

    private Split upstream(String file, String source, Predicate<String> heldOutId) {
        List<Example> fit = new ArrayList<>();
        List<Example> heldOut = new ArrayList<>();
        for (Map<String, String> row : rows(file)) {
            String text = row.get("prompt");
            if (text == null || text.isBlank()) {
                continue;
            }
            (heldOutId.test(row.get("id")) ? heldOut : fit).add(new Example(source, text, false, Set.of(), ""));
        }
        return new Split(fit, heldOut);
    }

    private List<Example> column(String file, String column, String source, boolean harmful) {
        List<Example> examples = new ArrayList<>();
        for (Map<String, String> row : rows(file)) {
            String text = row.get(column);
            if (text != null && !text.isBlank()) {
                examples.add(new Example(source, text, harmful, Set.of(), ""));
            }
        }
        return examples;
    }

    private static Split halves(List<Example> examples) {
        List<Example> fit = new ArrayList<>();
        List<Example> heldOut = new ArrayList<>();
        for (Example example : examples) {
            ((sha256(example.text())[0] & 1) == 0 ? heldOut : fit).add(example);
        }
        return new Split(fit, heldOut);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Map<String, String>> rows(String file) {
        CsvMapper csv = new CsvMapper();
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = csv.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader())
                .readValues(data.resolve(file).toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
