package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.Fingerprint;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.contracts.event.UniquePrompt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An index of fingerprint version 1 is moved to version 2 by a rebuild from the recorded decisions. */
class IndexMigrationTest {

    private static final FingerprintConfig BEFORE = FingerprintConfig.parse("simhash1-char3");
    private static final DuplicateRule RULE = DuplicateRule.verified(10, 0.5);
    private static final String HIKING = "What should I pack for a week of hiking in the Scottish Highlands in late October?";
    private static final String ADJECTIVE = "What is an adjective?";
    private static final String DIRECTORY = "What is Active Directory?";

    @Test
    void aRebuildMigratesTheRecordsOfTheVersionBeforeAndKeepsTheirDecisions() {
        SimHasher hasher = new SimHasher(BEFORE);
        RecordedDecisions decisions = new RecordedDecisions(new DedupScope("prompts", ScopeKind.GLOBAL, Dimension.SAFETY),
                FingerprintConfig.DEFAULT);
        decisions.add(UniquePrompt.of(prompt("hiking", HIKING), labels(), Fingerprint.of(hasher.fingerprint(HIKING), BEFORE.version())));
        decisions.add(UniquePrompt.of(prompt("directory", DIRECTORY), labels(), Fingerprint.of(hasher.fingerprint(DIRECTORY), BEFORE.version())));
        // the merge version 1 made stays what was published: a re-delivery gets it back
        int distance = Long.bitCount(hasher.fingerprint(ADJECTIVE) ^ hasher.fingerprint(DIRECTORY));
        decisions.add(new DuplicatePrompt(EventLimits.SCHEMA_VERSION, prompt("adjective", ADJECTIVE), labels(),
                Fingerprint.of(hasher.fingerprint(ADJECTIVE), BEFORE.version()), "directory",
                Fingerprint.of(hasher.fingerprint(DIRECTORY), BEFORE.version()), distance, Math.max(10, distance)));
        assertThat(decisions.migrated()).isEqualTo(3);

        InMemoryIndexStore store = new InMemoryIndexStore();
        IndexRebuild.Result result = IndexRebuild.rebuild(store, decisions.accepted("prompts"), decisions.rejected("prompts"),
                FingerprintConfig.DEFAULT.version() + ":migrated", false);
        assertThat(result).isEqualTo(new IndexRebuild.Result(2, 1, 0));

        PromptSketcher sketcher = new PromptSketcher(FingerprintConfig.DEFAULT);
        try (NearDuplicateIndex index = new NearDuplicateIndex(store, FingerprintConfig.DEFAULT, RULE, 1)) {
            List<Decision> decided = index.decide(List.of(
                    sketcher.candidate("adjective", ADJECTIVE),
                    sketcher.candidate("hiking-typo", HIKING.replace("Highlands", "Higlands")),
                    sketcher.candidate("adjective-again", ADJECTIVE)));
            assertThat(decided.get(0)).isEqualTo(new Decision.Duplicate("adjective", sketcher.candidate("a", ADJECTIVE).fingerprint(),
                    "directory", hasher.fingerprint(DIRECTORY), distance, null));
            Decision.Duplicate typo = (Decision.Duplicate) decided.get(1);
            assertThat(typo.matchedId()).isEqualTo("hiking");
            assertThat(typo.similarity()).isGreaterThanOrEqualTo(0.5);
            // a new id with the same text as the old merge is decided by the new rule: not a duplicate of the directory
            assertThat(decided.get(2)).isInstanceOf(Decision.Unique.class);
            // the migrated ids are bound to their texts
            assertThat(index.decide(List.of(sketcher.candidate("hiking", DIRECTORY), sketcher.candidate("adjective", HIKING))))
                    .allMatch(Decision.Refused.class::isInstance);
        }
    }

    @Test
    void anIndexOfTheVersionBeforeIsStillReadAndDecidedByItsOwnRule() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize(BEFORE.version() + ":made-before");
        PromptSketcher before = new PromptSketcher(BEFORE);
        try (NearDuplicateIndex index = new NearDuplicateIndex(store, BEFORE, DuplicateRule.of(BEFORE, 10, 0.5), 1)) {
            index.decide(List.of(before.candidate("hiking", HIKING)));
        }
        try (NearDuplicateIndex reopened = new NearDuplicateIndex(store, BEFORE, DuplicateRule.of(BEFORE, 10, 0.5), 1)) {
            Decision decision = reopened.decide(List.of(before.candidate("hiking-copy", HIKING))).get(0);
            assertThat(decision).isEqualTo(new Decision.Duplicate("hiking-copy", before.candidate("x", HIKING).fingerprint(), "hiking",
                    before.candidate("x", HIKING).fingerprint(), 0));
        }
        try (NearDuplicateIndex newer = new NearDuplicateIndex(store, FingerprintConfig.DEFAULT, RULE, 1)) {
            assertThatThrownBy(() -> newer.decide(List.of(new PromptSketcher(FingerprintConfig.DEFAULT).candidate("x", HIKING))))
                    .isInstanceOf(IndexUnavailableException.class).hasMessageContaining("holds simhash1-char3 fingerprints");
        }
    }

    private static Prompt prompt(String id, String text) {
        return new Prompt(id, text, Lineage.original(new Source("test", 1L)), Map.of());
    }

    private static Labels labels() {
        return new Labels(DimensionLabel.none(0.9), DimensionLabel.none(0.8), DimensionLabel.none(0.7), SemanticType.OBJECT,
                new Provenance("embedded", "test-model", "classify-v1"));
    }
}
