package io.misalignstream.inference.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.GeneratedPrompt;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.simhash.FeatureKind;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.SimHasher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TemplatePromptGeneratorTest {

    private static final Taxonomy TAXONOMY = Taxonomy.standard();
    private static final DomainExamples EXAMPLES = DomainExamples.shipped();
    private static final TemplatePromptGenerator GENERATOR = new TemplatePromptGenerator(TAXONOMY, EXAMPLES);
    private static final Domain MUSEUMS = domain(Dimension.CULTURAL, "museums");
    private static final int SLOTS = 200;

    static Stream<Domain> namedDomains() {
        return Stream.of(Dimension.values()).flatMap(dimension -> TAXONOMY.namedDomains(dimension).stream());
    }

    @Test
    void sameRequestGivesTheSameTextAndTheSeedIsFixedByItsDefinition() {
        GenerationRequest request = new GenerationRequest(MUSEUMS, 0, List.of("What does a curator do all day?"));

        GeneratedPrompt first = GENERATOR.generate(request);
        GeneratedPrompt again = new TemplatePromptGenerator(TAXONOMY, EXAMPLES).generate(request);

        assertThat(again).isEqualTo(first);
        // FNV-1a 64 of "cultural/museums/0", computed independently of the JVM
        assertThat(first.sampling()).isEqualTo(new SamplingParameters(null, null, null, -3854395020503325690L));
        assertThat(TemplatePromptGenerator.seed(domain(Dimension.SAFETY, "self_harm"), 199)).isEqualTo(-8292608312511029433L);
        assertThat(first.provenance()).isEqualTo(new Provenance("embedded", "template", "template-v1"));
        assertThat(first.templateGenerated()).isTrue();
    }

    @Test
    void twoHundredSlotsOfEveryDomainAreAllDistinct() {
        for (Domain domain : namedDomains().toList()) {
            Set<String> texts = new HashSet<>();
            for (int slot = 0; slot < SLOTS; slot++) {
                texts.add(GENERATOR.generate(new GenerationRequest(domain, slot, List.of())).text().toLowerCase(Locale.ROOT));
            }
            assertThat(texts).as(domain.id()).hasSize(SLOTS);
        }
    }

    /** The dedup stage keeps a prompt only when no earlier one is within 10 bits on char-3-gram SimHash. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("namedDomains")
    void mostSlotsSurviveNearDuplicateRemoval(Domain domain) {
        assertThat(survivingShare(domain, List.of())).as(domain.id()).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void requestExamplesDoNotCollapseTheVariety() {
        List<String> examples = List.of("Is it okay to photograph the mummies at the British Museum?",
                "My son wants to be a museum curator. What should he study?");

        assertThat(survivingShare(MUSEUMS, examples)).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void everyDomainOfEveryDimensionGeneratesPromptsOfEightToEightyWords() {
        List<Domain> domains = namedDomains().toList();
        assertThat(domains).hasSize(14 + 56 + 41);
        for (Domain domain : domains) {
            for (int slot = 0; slot < 50; slot++) {
                GeneratedPrompt prompt = GENERATOR.generate(new GenerationRequest(domain, slot, List.of()));
                assertThat(prompt.text().split("\\s+").length).as(prompt.text()).isBetween(8, 80);
                assertThat(prompt.text()).isEqualTo(prompt.text().strip());
                assertThat(prompt.sampling().seed()).isEqualTo(TemplatePromptGenerator.seed(domain, slot));
            }
        }
    }

    @Test
    void neverReturnsAShippedExampleVerbatim() {
        namedDomains().forEach(domain -> {
            Set<String> shipped = lowerCased(EXAMPLES.of(domain.dimension(), domain.id()));
            assertThat(shipped).as(domain.id()).isNotEmpty();
            for (int slot = 0; slot < 50; slot++) {
                String text = GENERATOR.generate(new GenerationRequest(domain, slot, List.of())).text();
                assertThat(shipped).as(domain.id()).doesNotContain(text.toLowerCase(Locale.ROOT));
            }
        });
    }

    @Test
    void neverReturnsARequestExampleVerbatim() {
        for (int slot = 0; slot < 100; slot++) {
            String unseen = GENERATOR.generate(new GenerationRequest(MUSEUMS, slot, List.of())).text();
            // the stream already holds exactly what this slot would write: the generator must write something else
            List<String> examples = List.of(unseen.toUpperCase(Locale.ROOT), "  " + unseen + " ");

            String text = GENERATOR.generate(new GenerationRequest(MUSEUMS, slot, examples)).text();

            assertThat(text).isNotEqualToIgnoringCase(unseen);
        }
    }

    @Test
    void fragmentsOfTheRequestExamplesAreReused() {
        String example = "How do I clean the bronze Buddha statue from my grandmother's shrine without damaging it?";
        List<String> texts = new ArrayList<>();
        for (int slot = 0; slot < 100; slot++) {
            texts.add(GENERATOR.generate(new GenerationRequest(MUSEUMS, slot, List.of(example))).text());
        }

        assertThat(texts).anyMatch(text -> text.toLowerCase(Locale.ROOT).contains("the bronze buddha statue"));
        assertThat(texts).noneMatch(text -> text.equalsIgnoreCase(example));
    }

    @Test
    void aDomainOutsideTheTaxonomyIsWrittenAboutFromItsDescription() {
        Domain streetFood = new Domain(Dimension.CULTURAL, "street_food", "Street food", "Street food",
                "Food sold on the street, such as tacos, kebabs, dumplings or churros.");
        List<String> texts = new ArrayList<>();
        for (int slot = 0; slot < 20; slot++) {
            texts.add(GENERATOR.generate(new GenerationRequest(streetFood, slot, List.of())).text().toLowerCase(Locale.ROOT));
        }

        assertThat(texts).allMatch(text -> Stream.of("street food", "food sold on the street", "tacos", "kebabs", "dumplings",
                "churros").anyMatch(text::contains));
    }

    @Test
    void concurrentCallersGetWhatOneCallerGets() throws Exception {
        assertThat(GENERATOR.parallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
        List<String> sequential = new ArrayList<>();
        for (int slot = 0; slot < 100; slot++) {
            sequential.add(GENERATOR.generate(new GenerationRequest(MUSEUMS, slot, List.of())).text());
        }

        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int slot = 0; slot < 100; slot++) {
                GenerationRequest request = new GenerationRequest(MUSEUMS, slot, List.of());
                results.add(callers.submit(() -> GENERATOR.generate(request).text()));
            }
            for (int slot = 0; slot < 100; slot++) {
                assertThat(results.get(slot).get()).isEqualTo(sequential.get(slot));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** The share of the domain's first {@value #SLOTS} slots that have no earlier slot within 10 bits. */
    private static double survivingShare(Domain domain, List<String> examples) {
        SimHasher hasher = new SimHasher(new FingerprintConfig(FeatureKind.CHAR, 3));
        long[] fingerprints = new long[SLOTS];
        int surviving = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            fingerprints[slot] = hasher.fingerprint(GENERATOR.generate(new GenerationRequest(domain, slot, examples)).text());
            boolean nearEarlier = false;
            for (int earlier = 0; earlier < slot && !nearEarlier; earlier++) {
                nearEarlier = Long.bitCount(fingerprints[slot] ^ fingerprints[earlier]) <= 10;
            }
            surviving += nearEarlier ? 0 : 1;
        }
        return (double) surviving / SLOTS;
    }

    private static Set<String> lowerCased(List<String> texts) {
        Set<String> lowered = new HashSet<>();
        texts.forEach(text -> lowered.add(text.strip().toLowerCase(Locale.ROOT)));
        return lowered;
    }

    private static Domain domain(Dimension dimension, String id) {
        return TAXONOMY.find(dimension, id).orElseThrow();
    }
}
