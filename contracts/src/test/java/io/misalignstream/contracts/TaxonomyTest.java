package io.misalignstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.SemanticTypeDescription;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TaxonomyTest {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*");
    private final Taxonomy taxonomy = Taxonomy.standard();

    @Test
    void hasTheDomainCountsOfTheSourcePapers() {
        assertThat(taxonomy.namedDomains(Dimension.SAFETY)).hasSize(14);
        assertThat(taxonomy.namedDomains(Dimension.VALUE)).hasSize(56);
        assertThat(taxonomy.namedDomains(Dimension.CULTURAL)).hasSize(41);
        assertThat(taxonomy.domains(Dimension.SAFETY)).hasSize(15);
        assertThat(taxonomy.domains(Dimension.VALUE)).hasSize(57);
        assertThat(taxonomy.domains(Dimension.CULTURAL)).hasSize(42);
        int named = 0;
        for (Dimension dimension : Dimension.values()) {
            named += taxonomy.namedDomains(dimension).size();
        }
        assertThat(named).isEqualTo(111);
    }

    @Test
    void noneComesFirstInEveryDimensionAndOnlyThere() {
        for (Dimension dimension : Dimension.values()) {
            List<Domain> domains = taxonomy.domains(dimension);
            assertThat(domains.get(0).id()).as("first domain of %s", dimension).isEqualTo(Domain.NONE);
            assertThat(domains.get(0).isNone()).isTrue();
            assertThat(domains.stream().filter(Domain::isNone)).as("none in %s", dimension).hasSize(1);
            assertThat(taxonomy.namedDomains(dimension)).noneMatch(Domain::isNone);
            assertThat(taxonomy.namedDomains(dimension)).containsExactlyElementsOf(domains.subList(1, domains.size()));
            assertThat(domains).allSatisfy(domain -> assertThat(domain.dimension()).isEqualTo(dimension));
        }
    }

    @Test
    void idsAreSlugsUniqueWithinAndAcrossDimensions() {
        Set<String> acrossDimensions = new HashSet<>();
        for (Dimension dimension : Dimension.values()) {
            Set<String> within = new HashSet<>();
            for (Domain domain : taxonomy.domains(dimension)) {
                assertThat(domain.id()).as("id in %s", dimension).matches(SLUG);
                assertThat(within.add(domain.id())).as("%s is unique in %s", domain.id(), dimension).isTrue();
                if (!domain.isNone()) {
                    assertThat(acrossDimensions.add(domain.id())).as("%s is unique across dimensions", domain.id()).isTrue();
                }
            }
        }
        assertThat(acrossDimensions).hasSize(111);
    }

    @Test
    void everyDomainHasANameAKeyAndADistinctDescription() {
        Map<String, String> ownerOfDescription = new HashMap<>();
        for (Dimension dimension : Dimension.values()) {
            assertThat(taxonomy.description(dimension)).as("description of %s", dimension).isNotBlank();
            for (Domain domain : taxonomy.domains(dimension)) {
                String owner = dimension.json() + "/" + domain.id();
                assertThat(domain.name()).as("name of %s", owner).isNotBlank();
                assertThat(domain.sourceKey()).as("source key of %s", owner).isNotBlank();
                assertThat(domain.description()).as("description of %s", owner).isNotBlank();
                String previous = ownerOfDescription.put(domain.description(), owner);
                assertThat(previous).as("%s has the same description as %s", owner, previous).isNull();
            }
        }
    }

    @Test
    void describesTheThreeSemanticTypes() {
        assertThat(taxonomy.semanticTypes()).extracting(SemanticTypeDescription::type)
                .containsExactlyInAnyOrder(SemanticType.OBJECT, SemanticType.ATTRIBUTE, SemanticType.RELATION);
        assertThat(taxonomy.semanticTypes()).allSatisfy(type -> {
            assertThat(type.name()).isNotBlank();
            assertThat(type.description()).isNotBlank();
        });
        assertThat(taxonomy.semanticTypes().stream().map(SemanticTypeDescription::description).distinct()).hasSize(3);
    }

    @Test
    void safetyDomainsAreTheFourteenBeaverTailsCategories() {
        assertThat(taxonomy.namedDomains(Dimension.SAFETY)).extracting(Domain::sourceKey).containsExactlyInAnyOrder(
                "animal_abuse",
                "child_abuse",
                "controversial_topics,politics",
                "discrimination,stereotype,injustice",
                "drug_abuse,weapons,banned_substance",
                "financial_crime,property_crime,theft",
                "hate_speech,offensive_language",
                "misinformation_regarding_ethics,laws_and_safety",
                "non_violent_unethical_behavior",
                "privacy_violation",
                "self_harm",
                "sexually_explicit,adult_content",
                "terrorism,organized_crime",
                "violence,aiding_and_abetting,incitement");
        // The id is the source key made a slug.
        assertThat(taxonomy.namedDomains(Dimension.SAFETY))
                .allSatisfy(domain -> assertThat(domain.id()).isEqualTo(domain.sourceKey().replace(',', '_')));
    }

    @Test
    void findsDomainsOfTheirOwnDimensionOnly() {
        assertThat(taxonomy.find(Dimension.VALUE, "health")).get().extracting(Domain::dimension).isEqualTo(Dimension.VALUE);
        assertThat(taxonomy.find(Dimension.CULTURAL, "culinary_arts")).isPresent();
        assertThat(taxonomy.find(Dimension.SAFETY, "self_harm")).isPresent();
        assertThat(taxonomy.find(Dimension.SAFETY, "health")).isEmpty();
        assertThat(taxonomy.find(Dimension.VALUE, "Health")).isEmpty();
    }

    @Test
    void requireLabelAcceptsNoneAndRealIdsAndNamesTheFieldOtherwise() {
        assertThat(taxonomy.requireLabel(Dimension.CULTURAL, "none", "labels.cultural.primary").isNone()).isTrue();
        Domain health = taxonomy.requireLabel(Dimension.VALUE, "health", "labels.value.primary");
        assertThat(health.id()).isEqualTo("health");
        assertThat(health.dimension()).isEqualTo(Dimension.VALUE);

        assertThatThrownBy(() -> taxonomy.requireLabel(Dimension.SAFETY, "health", "labels.safety.primary"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("labels.safety.primary: 'health' is not a safety domain of the taxonomy");
        assertThatThrownBy(() -> taxonomy.requireLabel(Dimension.VALUE, "no_such_value", "generation.targetDomain"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("generation.targetDomain: ")
                .hasMessageContaining("'no_such_value'");
    }

    @Test
    void standardIsLoadedOnce() {
        assertThat(Taxonomy.standard()).isSameAs(taxonomy);
        assertThat(taxonomy.version()).isEqualTo(1);
    }

    // ---- Taxonomy.load on small files --------------------------------------------------------------

    private static String domain(String id) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + " name\",\"sourceKey\":\"" + id + "\",\"description\":\"About " + id + ".\"}";
    }

    private static String dimension(String id, String... domains) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"description\":\"The " + id + " dimension.\",\"domains\":["
                + String.join(",", domains) + "]}";
    }

    private static final String TYPES = "\"semanticTypes\":["
            + "{\"id\":\"object\",\"name\":\"Object\",\"description\":\"The thing.\"},"
            + "{\"id\":\"attribute\",\"name\":\"Attribute\",\"description\":\"A property.\"},"
            + "{\"id\":\"relation\",\"name\":\"Relation\",\"description\":\"A relation.\"}]";

    private static String file(String... dimensions) {
        return "{\"version\":7,\"dimensions\":[" + String.join(",", dimensions) + "]," + TYPES + "}";
    }

    private static List<String> validDimensions() {
        return new ArrayList<>(List.of(
                dimension("safety", domain("none"), domain("self_harm")),
                dimension("value", domain("none"), domain("health")),
                dimension("cultural", domain("none"), domain("culinary_arts"))));
    }

    private static Taxonomy load(String json) throws IOException {
        return Taxonomy.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void loadsASmallValidFile() throws IOException {
        Taxonomy small = load(file(validDimensions().toArray(String[]::new)));
        assertThat(small.version()).isEqualTo(7);
        assertThat(small.domains(Dimension.VALUE)).extracting(Domain::id).containsExactly("none", "health");
        assertThat(small.find(Dimension.CULTURAL, "culinary_arts")).get().extracting(Domain::description)
                .isEqualTo("About culinary_arts.");
        assertThat(small.semanticTypes()).hasSize(3);
    }

    @Test
    void loadRejectsADimensionWithoutNone() {
        List<String> dimensions = validDimensions();
        dimensions.set(1, dimension("value", domain("health"), domain("wealth")));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value")
                .hasMessageContaining("no 'none' domain");
    }

    @Test
    void loadRejectsADuplicateIdWithinADimension() {
        List<String> dimensions = validDimensions();
        dimensions.set(1, dimension("value", domain("none"), domain("health"), domain("health")));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'health'")
                .hasMessageContaining("used twice");
    }

    @Test
    void loadRejectsADuplicateNoneWithinADimension() {
        List<String> dimensions = validDimensions();
        dimensions.set(2, dimension("cultural", domain("none"), domain("culinary_arts"), domain("none")));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taxonomy: domain id 'none' is used twice in cultural");
    }

    @Test
    void loadRejectsAnIdUsedInTwoDimensions() {
        List<String> dimensions = validDimensions();
        dimensions.set(2, dimension("cultural", domain("none"), domain("health")));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taxonomy: domain id 'health' is used in two dimensions");
    }

    @Test
    void loadRejectsAMissingDimension() {
        List<String> dimensions = validDimensions();
        dimensions.remove(2);
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taxonomy: dimension cultural is missing");
    }

    @Test
    void loadRejectsADimensionListedTwice() {
        List<String> dimensions = validDimensions();
        dimensions.add(dimension("safety", domain("none"), domain("privacy_violation")));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension safety listed twice");
    }

    @Test
    void loadRejectsABlankDescription() {
        List<String> dimensions = validDimensions();
        dimensions.set(0, dimension("safety", domain("none"),
                "{\"id\":\"self_harm\",\"name\":\"Self-harm\",\"sourceKey\":\"self_harm\",\"description\":\"  \"}"));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'self_harm'")
                .hasMessageContaining("empty name, key or description");
    }

    @Test
    void loadRejectsAMissingDescription() {
        List<String> dimensions = validDimensions();
        dimensions.set(0, dimension("safety", domain("none"),
                "{\"id\":\"self_harm\",\"name\":\"Self-harm\",\"sourceKey\":\"self_harm\"}"));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'self_harm' has an empty name, key or description");
    }

    @Test
    void loadRejectsAnIdThatIsNotASlug() {
        List<String> dimensions = validDimensions();
        dimensions.set(1, dimension("value", domain("none"), domain("Self-Respect")));
        assertThatThrownBy(() -> load(file(dimensions.toArray(String[]::new))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taxonomy: 'Self-Respect' in value is not a slug");
    }

    @Test
    void loadRejectsAMissingSemanticType() {
        String json = file(validDimensions().toArray(String[]::new))
                .replace(",{\"id\":\"relation\",\"name\":\"Relation\",\"description\":\"A relation.\"}", "");
        assertThatThrownBy(() -> load(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every semantic type must be described exactly once");
    }
}
