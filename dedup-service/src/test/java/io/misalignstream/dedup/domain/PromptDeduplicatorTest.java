package io.misalignstream.dedup.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.dedup.domain.PromptDeduplicator.Outcome;
import io.misalignstream.simhash.DedupScope;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.InMemoryIndexStore;
import io.misalignstream.simhash.IndexUnavailableException;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.ScopeKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptDeduplicatorTest {

    private static final DuplicateRule RULE = DuplicateRule.verified(10, 0.5);
    private static final String TEXT = "What should I pack for a week of hiking in the Scottish Highlands in late October?";

    private final Map<String, InMemoryIndexStore> stores = new HashMap<>();
    private final List<String> initialized = new ArrayList<>();

    private PromptDeduplicator deduplicator(ScopeKind kind, boolean mayStartEmpty) {
        return new PromptDeduplicator(FingerprintConfig.DEFAULT, RULE, new DedupScope("prompts", kind, Dimension.SAFETY),
                scope -> new NearDuplicateIndex(stores.computeIfAbsent(scope, key -> new InMemoryIndexStore()), FingerprintConfig.DEFAULT, RULE, 1),
                scope -> {
                    if (!mayStartEmpty) {
                        throw new IndexUnavailableException("lost: rebuild it");
                    }
                    initialized.add(scope);
                    return stores.get(scope).initialize("simhash2-char3:test");
                });
    }

    @Test
    void theGlobalScopeComparesEveryPromptWithEveryOther() {
        List<Outcome> outcomes = deduplicator(ScopeKind.GLOBAL, true).decide(List.of(
                candidate("a", TEXT, "privacy_violation"), candidate("b", TEXT + "!", "self_harm")));
        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Unique.class);
        Outcome.Duplicate duplicate = (Outcome.Duplicate) outcomes.get(1);
        assertThat(duplicate.event().matchedPromptId()).isEqualTo("a");
        assertThat(duplicate.event().threshold()).isEqualTo(10);
        assertThat(duplicate.event().similarity()).isEqualTo(1.0);
        assertThat(duplicate.event().minSimilarity()).isEqualTo(0.5);
        assertThat(initialized).containsExactly("prompts");
    }

    @Test
    void theDomainScopeComparesPromptsOfOneDomainOnly() {
        PromptDeduplicator perDomain = deduplicator(ScopeKind.DOMAIN, true);
        List<Outcome> outcomes = perDomain.decide(List.of(
                candidate("a", TEXT, "privacy_violation"), candidate("b", TEXT, "self_harm"), candidate("c", TEXT, "privacy_violation")));
        assertThat(outcomes).extracting(outcome -> outcome.getClass().getSimpleName()).containsExactly("Unique", "Unique", "Duplicate");
        assertThat(((Outcome.Duplicate) outcomes.get(2)).event().matchedPromptId()).isEqualTo("a");
        assertThat(initialized).containsExactlyInAnyOrder("prompts/safety.privacy_violation", "prompts/safety.self_harm");
        assertThat(perDomain.indexedPrompts()).isEqualTo(2);
        assertThat(perDomain.lookups()).isEqualTo(3);
    }

    @Test
    void aLostIndexIsNotStartedEmpty() {
        PromptDeduplicator deduplicator = deduplicator(ScopeKind.GLOBAL, false);
        assertThatThrownBy(() -> deduplicator.decide(List.of(candidate("a", TEXT, "privacy_violation"))))
                .isInstanceOf(IndexUnavailableException.class).hasMessageContaining("rebuild");
    }

    @Test
    void theRecordCarriesItsOwnFingerprintAndTheVersion() {
        Outcome outcome = deduplicator(ScopeKind.GLOBAL, true).decide(List.of(candidate("a", TEXT, "none"))).get(0);
        Outcome.Unique unique = (Outcome.Unique) outcome;
        assertThat(unique.event().fingerprint().bits()).isEqualTo(new io.misalignstream.simhash.SimHasher(FingerprintConfig.DEFAULT).fingerprint(TEXT));
        assertThat(unique.event().fingerprint().version()).isEqualTo("simhash2-char3");
        assertThat(unique.event().prompt()).isEqualTo(unique.candidate().prompt());
    }

    @Test
    void anIdDecidedForAnotherTextIsRefusedAndKeepsItsDecision() {
        PromptDeduplicator deduplicator = deduplicator(ScopeKind.GLOBAL, true);
        deduplicator.decide(List.of(candidate("a", TEXT, "none")));
        List<Outcome> outcomes = deduplicator.decide(List.of(candidate("a", "Give me a recipe for a simple tomato soup.", "none"),
                candidate("a", TEXT, "none")));
        assertThat(outcomes.get(0)).isInstanceOfSatisfying(Outcome.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo("prompt id a was decided for another text; an id keeps its first text"));
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Unique.class);
    }

    @Test
    void anIndexOfAnotherFingerprintVersionIsNotRead() {
        stores.computeIfAbsent("prompts", key -> new InMemoryIndexStore()).initialize("simhash1-char3:made-before");
        assertThatThrownBy(() -> deduplicator(ScopeKind.GLOBAL, true).decide(List.of(candidate("a", TEXT, "none"))))
                .isInstanceOf(IndexUnavailableException.class)
                .hasMessageContaining("holds simhash1-char3 fingerprints, not simhash2-char3").hasMessageContaining("rebuild");
    }

    @Test
    void aShortTextIsSearchedWithinAWiderRadiusAndItsEvidenceSaysSo() {
        List<Outcome> outcomes = deduplicator(ScopeKind.GLOBAL, true).decide(List.of(
                candidate("a", "what is my card balance", "none"), candidate("b", "what is my crad balance", "none")));
        DuplicatePrompt duplicate = ((Outcome.Duplicate) outcomes.get(1)).event();
        assertThat(duplicate.threshold()).isEqualTo(16);
        assertThat(duplicate.hammingDistance()).isGreaterThan(10).isLessThanOrEqualTo(16);
        assertThat(duplicate.similarity()).isGreaterThanOrEqualTo(0.5);
    }

    private static CandidatePrompt candidate(String id, String text, String safetyDomain) {
        Labels labels = new Labels(new DimensionLabel(safetyDomain, 0.9, List.of()), DimensionLabel.none(0.8), DimensionLabel.none(0.7),
                SemanticType.OBJECT, new Provenance("embedded", "test-model", "classify-v1"));
        return CandidatePrompt.of(new Prompt(id, text, Lineage.original(new Source("test", 1L)), Map.of()), labels);
    }
}
