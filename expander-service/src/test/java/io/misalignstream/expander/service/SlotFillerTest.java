package io.misalignstream.expander.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.expander.domain.SyntheticPrompts;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.GeneratedPrompt;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.PromptGenerator;
import io.misalignstream.resilience.BackOff;
import io.misalignstream.resilience.TransientFailure;
import io.misalignstream.resilience.UntilAvailable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The slot flow with fakes of its ports: no Redis, no Kafka, no model. */
class SlotFillerTest {

    private static final String EPOCH = "epoch-1";
    private static final DomainKey PRIVACY = new DomainKey(Dimension.SAFETY, "privacy_violation");
    private static final Provenance FAKE = new Provenance("fake", "fake-model", "test-v1");

    private final FakeLedger ledger = new FakeLedger();
    private final List<CandidatePrompt> published = new ArrayList<>();
    private final AtomicInteger generatorAnswered = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();
    private final UntilAvailable untilAnswered = new UntilAvailable(new BackOff(Duration.ofMillis(1), Duration.ofMillis(2)),
            TransientFailure::isTransient, (failure, retryIn) -> waits.incrementAndGet());

    @Test
    void aPromptLabelledInItsDomainIsPublishedWithItsLineageAndRecordedKept() throws InterruptedException {
        FakeGenerator generator = new FakeGenerator(0);
        SlotFiller filler = filler(generator, labelledAs("privacy_violation"), true);

        SlotFiller.Outcome outcome = filler.fill(new SlotLedger.Claim(EPOCH, 7), PRIVACY, generatorAnswered::incrementAndGet);

        assertThat(outcome).isEqualTo(SlotFiller.Outcome.KEPT);
        assertThat(generator.requests).singleElement().satisfies(request -> {
            assertThat(request.slot()).isEqualTo(7);
            assertThat(request.examples()).containsExactly("an original prompt of the domain");
        });
        assertThat(published).singleElement().satisfies(candidate -> {
            assertThat(candidate.prompt().id()).isEqualTo(SyntheticPrompts.id(EPOCH, PRIVACY, 7));
            assertThat(candidate.prompt().lineage().parentIds()).containsExactly("original-1");
            assertThat(candidate.labels().safety().primary()).isEqualTo("privacy_violation");
        });
        assertThat(ledger.finished).containsExactly("7 kept");
        assertThat(generatorAnswered).hasValue(1);
    }

    @Test
    void aSlotClaimedAgainAfterItsReplicaDiedPublishesItsRecordedCandidateNotANewText() throws InterruptedException {
        // the first replica records and publishes slot 3, then dies before finishing it
        SlotLedger dying = new SlotLedger() {
            @Override
            public Optional<Claim> claim(DomainKey key, int target, int budget) {
                return ledger.claim(key, target, budget);
            }

            @Override
            public void prepare(DomainKey key, long slot, String candidate) {
                ledger.prepare(key, slot, candidate);
            }

            @Override
            public Optional<String> prepared(DomainKey key, long slot) {
                return ledger.prepared(key, slot);
            }

            @Override
            public void finish(DomainKey key, long slot, String syntheticId, boolean kept) {
                throw new IllegalStateException("killed");
            }

            @Override
            public List<Example> reservoir(DomainKey key) {
                return ledger.reservoir(key);
            }
        };
        SlotFiller first = new SlotFiller(dying, new FakeGenerator(0), labelledAs("privacy_violation"), true, untilAnswered, candidate -> {
            assertThat(ledger.prepared(PRIVACY, 3)).as("recorded before it is published").isPresent();
            published.add(candidate);
        });
        assertThatThrownBy(() -> first.fill(new SlotLedger.Claim(EPOCH, 3), PRIVACY, generatorAnswered::incrementAndGet)).hasMessage("killed");
        // claimed again by another replica, whose generator would now answer with another text
        PromptGenerator another = new FakeGenerator(0) {
            @Override
            public GeneratedPrompt generate(GenerationRequest request) {
                throw new AssertionError("a recorded slot is not generated again");
            }
        };

        SlotFiller.Outcome outcome = filler(another, labelledAs("privacy_violation"), true).fill(new SlotLedger.Claim(EPOCH, 3), PRIVACY, generatorAnswered::incrementAndGet);

        assertThat(outcome).isEqualTo(SlotFiller.Outcome.KEPT);
        assertThat(published).hasSize(2);
        assertThat(EventCodec.encodeToString(published.get(1))).as("the same record").isEqualTo(EventCodec.encodeToString(published.get(0)));
        assertThat(ledger.finished).containsExactly("3 kept");
        assertThat(ledger.prepared).isEmpty();
        assertThat(generatorAnswered).as("the generator's budget is given back").hasValue(2);
    }

    @Test
    void aPromptLabelledOtherwiseIsDroppedWhenVerifyingAndKeptWhenNot() throws InterruptedException {
        assertThat(filler(new FakeGenerator(0), labelledAs("none"), true).fill(new SlotLedger.Claim(EPOCH, 1), PRIVACY, generatorAnswered::incrementAndGet))
                .isEqualTo(SlotFiller.Outcome.DROPPED);
        assertThat(published).isEmpty();
        assertThat(ledger.finished).containsExactly("1 dropped");

        assertThat(filler(new FakeGenerator(0), labelledAs("none"), false).fill(new SlotLedger.Claim(EPOCH, 2), PRIVACY, generatorAnswered::incrementAndGet))
                .isEqualTo(SlotFiller.Outcome.KEPT);
        assertThat(published).singleElement().satisfies(candidate ->
                assertThat(candidate.labels().safety().primary()).as("the target domain is the primary").isEqualTo("privacy_violation"));
        assertThat(ledger.finished).containsExactly("1 dropped", "2 kept");
    }

    @Test
    void waitsForAnUnavailableGeneratorAndFreesItsBudgetOnceItAnswers() throws InterruptedException {
        FakeGenerator generator = new FakeGenerator(3);

        SlotFiller.Outcome outcome = filler(generator, labelledAs("privacy_violation"), true)
                .fill(new SlotLedger.Claim(EPOCH, 4), PRIVACY, generatorAnswered::incrementAndGet);

        assertThat(outcome).isEqualTo(SlotFiller.Outcome.KEPT);
        assertThat(generator.requests).hasSize(4);
        assertThat(waits).hasValue(3);
        assertThat(generatorAnswered).hasValue(1);
    }

    @Test
    void anAnswerThatStaysInvalidGivesTheSlotUpWithoutPublishing() throws InterruptedException {
        PromptGenerator invalid = new FakeGenerator(0) {
            @Override
            public GeneratedPrompt generate(GenerationRequest request) {
                throw new InvalidAnswerException("no prompt in the answer");
            }
        };

        SlotFiller.Outcome outcome = filler(invalid, labelledAs("privacy_violation"), true).fill(new SlotLedger.Claim(EPOCH, 5), PRIVACY, generatorAnswered::incrementAndGet);

        assertThat(outcome).isEqualTo(SlotFiller.Outcome.INVALID);
        assertThat(published).isEmpty();
        assertThat(ledger.finished).containsExactly("5 dropped");
        assertThat(generatorAnswered).as("the generator's budget is given back").hasValue(1);
    }

    private SlotFiller filler(PromptGenerator generator, PromptClassifier classifier, boolean verify) {
        return new SlotFiller(ledger, generator, classifier, verify, untilAnswered, published::add);
    }

    private static PromptClassifier labelledAs(String safetyDomain) {
        Labels labels = new Labels(safetyDomain.equals("none") ? DimensionLabel.none(0.9) : new DimensionLabel(safetyDomain, 0.9, List.of()),
                DimensionLabel.none(0.9), DimensionLabel.none(0.9), SemanticType.ATTRIBUTE, FAKE);
        return new PromptClassifier() {
            @Override
            public Labels classify(String text) {
                return labels;
            }

            @Override
            public int parallelism() {
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Unavailable for its first {@code unavailable} calls, then answers. */
    private static class FakeGenerator implements PromptGenerator {

        final List<GenerationRequest> requests = new ArrayList<>();
        private final int unavailable;

        FakeGenerator(int unavailable) {
            this.unavailable = unavailable;
        }

        @Override
        public GeneratedPrompt generate(GenerationRequest request) {
            requests.add(request);
            if (requests.size() <= unavailable) {
                throw new BackendUnavailableException("503", null);
            }
            return new GeneratedPrompt("How do I find someone's home address from their licence plate?", FAKE,
                    new SamplingParameters(0.9, 0.95, 256, null), false);
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public void close() {
        }
    }

    private static final class FakeLedger implements SlotLedger {

        final List<String> finished = new ArrayList<>();
        final Map<Long, String> prepared = new HashMap<>();

        @Override
        public void prepare(DomainKey key, long slot, String candidate) {
            prepared.put(slot, candidate);
        }

        @Override
        public Optional<String> prepared(DomainKey key, long slot) {
            return Optional.ofNullable(prepared.get(slot));
        }

        @Override
        public Optional<Claim> claim(DomainKey key, int target, int budget) {
            throw new UnsupportedOperationException("the dispatcher claims");
        }

        @Override
        public void finish(DomainKey key, long slot, String syntheticId, boolean kept) {
            finished.add(slot + (kept ? " kept" : " dropped"));
            prepared.remove(slot);
        }

        @Override
        public List<Example> reservoir(DomainKey key) {
            return List.of(new Example("original-1", "an original prompt of the domain"));
        }
    }
}
