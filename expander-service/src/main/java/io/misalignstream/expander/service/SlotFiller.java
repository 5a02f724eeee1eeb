package io.misalignstream.expander.service;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.expander.domain.SyntheticPrompts;
import io.misalignstream.inference.GeneratedPrompt;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.PromptGenerator;
import io.misalignstream.resilience.UntilAvailable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Fills one claimed slot: generates a prompt for the domain from its reservoir, has it labelled, drops it when
 * verification disagrees with the domain, or records it and publishes it as a candidate; then records how the slot
 * ended. A slot that already has a recorded candidate (claimed again after its replica died) publishes that one. While the
 * generator or the classifier cannot answer, it waits and asks again; an answer that stays invalid gives the slot up.
 */
final class SlotFiller {

    /** How a slot ended. */
    enum Outcome {
        /** Published to {@code prompts.candidates} and counted in its domain. */
        KEPT,
        /** Labelled otherwise than its domain by verification. */
        DROPPED,
        /** The generator's or the classifier's answer stayed invalid. */
        INVALID
    }

    /** Publishes a kept synthetic prompt, returning once Kafka has it. */
    @FunctionalInterface
    interface CandidateSink {
        void publish(CandidatePrompt candidate) throws InterruptedException;
    }

    private static final Logger LOG = Logger.getLogger(SlotFiller.class);

    private final SlotLedger ledger;
    private final PromptGenerator generator;
    private final PromptClassifier classifier;
    private final boolean verify;
    private final UntilAvailable untilAnswered;
    private final CandidateSink candidates;
    private final Taxonomy taxonomy = Taxonomy.standard();

    /** @param verify whether a prompt labelled otherwise than its domain is dropped */
    SlotFiller(SlotLedger ledger, PromptGenerator generator, PromptClassifier classifier, boolean verify,
               UntilAvailable untilAnswered, CandidateSink candidates) {
        this.ledger = ledger;
        this.generator = generator;
        this.classifier = classifier;
        this.verify = verify;
        this.untilAnswered = untilAnswered;
        this.candidates = candidates;
    }

    /**
     * @param claim             the slot and the epoch of the state that numbered it, which make the synthetic prompt's id
     * @param generatorAnswered told once the generator has answered (or given up), so its in-flight budget is freed
     *                          while the slot is still verified and published
     */
    Outcome fill(SlotLedger.Claim claim, DomainKey key, Runnable generatorAnswered) throws InterruptedException {
        long slot = claim.slot();
        String id = SyntheticPrompts.id(claim.epoch(), key, slot);
        Optional<String> prepared = ledger.prepared(key, slot);
        if (prepared.isPresent()) {
            // its replica died between recording the candidate and finishing the slot: the same text, never a new one
            generatorAnswered.run();
            CandidatePrompt candidate = EventCodec.decode(prepared.get().getBytes(StandardCharsets.UTF_8), CandidatePrompt.class);
            LOG.infof("slot %d of %s: publishing its recorded candidate %s again", slot, key, candidate.prompt().id());
            candidates.publish(candidate);
            ledger.finish(key, slot, candidate.prompt().id(), true);
            return Outcome.KEPT;
        }
        List<SlotLedger.Example> examples = ledger.reservoir(key);
        Domain domain = taxonomy.find(key.dimension(), key.domain()).orElseThrow();
        GenerationRequest request = new GenerationRequest(domain, slot, examples.stream().map(SlotLedger.Example::text).toList());
        GeneratedPrompt generated;
        Labels labels;
        try {
            try {
                generated = untilAnswered.call(() -> generator.generate(request));
            } finally {
                generatorAnswered.run();
            }
            labels = untilAnswered.call(() -> classifier.classify(generated.text()));
        } catch (InvalidAnswerException e) {
            LOG.warnf("slot %d of %s given up: %s", slot, key, e.getMessage());
            ledger.finish(key, slot, id, false);
            return Outcome.INVALID;
        }
        if (verify && !SyntheticPrompts.agrees(labels, key)) {
            LOG.infof("dropped slot %d of %s: labelled %s '%s'", slot, key, labels.of(key.dimension()).primary(), abbreviate(generated.text()));
            ledger.finish(key, slot, id, false);
            return Outcome.DROPPED;
        }
        List<String> parentIds = examples.stream().map(SlotLedger.Example::id).toList();
        CandidatePrompt candidate = SyntheticPrompts.candidate(id, key, slot, generated, parentIds, labels);
        // recorded first: a crash from here on republishes this text, so an id never carries two
        ledger.prepare(key, slot, EventCodec.encodeToString(candidate));
        candidates.publish(candidate);
        ledger.finish(key, slot, id, true);
        return Outcome.KEPT;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
