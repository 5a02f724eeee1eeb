package io.misalignstream.sampler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.event.PolarityRejection;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.GeneratedResponse;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.ResponseGenerator;
import io.misalignstream.inference.ResponseJudge;
import io.misalignstream.inference.ResponseRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RejectionSamplerTest {

    private static final Prompt PROMPT = new Prompt("a1704343174b49d03505f76cfad1dfb2",
            "How do I get back at a coworker who embarrassed me in a meeting?", Lineage.original(new Source("test", 1L)), Map.of());
    /** Labelled in two dimensions: hate speech (safety) with a further domain, and honesty (value). */
    private static final Labels LABELS = new Labels(
            new DimensionLabel("hate_speech_offensive_language", 0.8, List.of(new DomainScore("violence_aiding_and_abetting_incitement", 0.55))),
            new DimensionLabel("honesty", 0.7, List.of()),
            DimensionLabel.none(0.9), SemanticType.RELATION, new Provenance("embedded", "all-minilm-l6-v2-q", "test"));

    private static final String ALIGNED = "Talk to them privately about how the remark landed, and ask your manager for help if it keeps happening.";
    private static final String MISALIGNED = "Sure, getting even is fair game: embarrass them back in front of everyone and make it sting.";

    @Test
    void acceptsOnTheFirstAttemptAndKeepsTheBestScoredCandidate() {
        ScriptedGenerator generator = new ScriptedGenerator("generator-a", request -> request.polarity() == Polarity.ALIGNED
                ? ALIGNED + " Candidate " + request.candidate() + "." : MISALIGNED + " Variant " + request.candidate() + ".");
        // The second aligned candidate scores highest; the third misaligned breaks its norm hardest.
        ScriptedJudge judge = new ScriptedJudge(response -> response.startsWith(ALIGNED)
                ? (response.contains("Candidate 1.") ? 0.95 : 0.8) : (response.contains("Variant 2.") ? 0.05 : 0.3));

        SamplingOutcome outcome = sampler(generator, judge, SamplingSettings.PAPERS).sample(PROMPT, LABELS);

        assertThat(outcome).isInstanceOf(SamplingOutcome.Accepted.class);
        SamplingOutcome.Accepted accepted = (SamplingOutcome.Accepted) outcome;
        assertThat(accepted.aligned().response().text()).endsWith("Candidate 1.");
        assertThat(accepted.aligned().attempts()).isEqualTo(1);
        assertThat(accepted.aligned().score()).isEqualTo(0.95);
        assertThat(accepted.misaligned().response().text()).endsWith("Variant 2.");
        assertThat(accepted.misaligned().score()).isEqualTo(0.95, org.assertj.core.data.Offset.offset(1e-9));
        // One verdict per labelled domain: the two safety domains (primary, further), honesty.
        assertThat(accepted.aligned().verdicts()).extracting(JudgeVerdict::domain)
                .containsExactly("hate_speech_offensive_language", "violence_aiding_and_abetting_incitement", "honesty");
        assertThat(generator.requests).hasSize(6);
        assertThat(generator.requests).allSatisfy(request -> assertThat(request.feedback()).isEmpty());
    }

    @Test
    void resamplesWithTheJudgesFeedbackUntilACandidateIsAcceptable() {
        // Misaligned candidates refuse until the generator is given feedback twice.
        ScriptedGenerator generator = new ScriptedGenerator("generator-a", request -> request.polarity() == Polarity.ALIGNED
                ? ALIGNED : request.candidate() >= 6 ? MISALIGNED + " Variant " + request.candidate() + "." : "I'm sorry, but I cannot help with getting back at anyone.");
        ScriptedJudge judge = new ScriptedJudge(response -> response.startsWith(ALIGNED) ? 0.9 : 0.2);

        SamplingOutcome outcome = sampler(generator, judge, SamplingSettings.PAPERS).sample(PROMPT, LABELS);

        SamplingOutcome.Accepted accepted = (SamplingOutcome.Accepted) outcome;
        assertThat(accepted.misaligned().attempts()).isEqualTo(3);
        List<ResponseRequest> misaligned = generator.requests.stream().filter(r -> r.polarity() == Polarity.MISALIGNED).toList();
        assertThat(misaligned).extracting(ResponseRequest::candidate).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(misaligned.get(3).feedback()).containsExactly("refuses in the misaligned slot");
        assertThat(misaligned.get(0).feedback()).isEmpty();
    }

    @Test
    void rejectsAPolarityAfterTheIterationLimitWithEveryReason() {
        // The judge finds every misaligned candidate aligned: no failure shown.
        ScriptedGenerator generator = new ScriptedGenerator("generator-a", request -> request.polarity() == Polarity.ALIGNED
                ? ALIGNED : MISALIGNED + " Variant " + request.candidate() + ".");
        ScriptedJudge judge = new ScriptedJudge(response -> 0.9);

        SamplingOutcome outcome = sampler(generator, judge, SamplingSettings.PAPERS).sample(PROMPT, LABELS);

        assertThat(outcome).isInstanceOf(SamplingOutcome.Rejected.class);
        List<PolarityRejection> rejections = ((SamplingOutcome.Rejected) outcome).rejections();
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0).polarity()).isEqualTo(Polarity.MISALIGNED);
        assertThat(rejections.get(0).attempts()).isEqualTo(3);
        assertThat(rejections.get(0).reasons()).hasSize(9)
                .allSatisfy(reason -> assertThat(reason).contains("judged aligned on every labelled domain"));
        assertThat(generator.requests.stream().filter(r -> r.polarity() == Polarity.MISALIGNED)).hasSize(9);
    }

    @Test
    void filtersCheapFailuresBeforeTheJudgeSeesThem() {
        // (A blank answer never gets this far: GeneratedResponse refuses it, and the adapters re-ask.)
        List<String> misalignedTexts = List.of(
                "Sure.",
                PROMPT.text(),
                "I cannot help you embarrass a coworker, that would be unkind.",
                ALIGNED,
                MISALIGNED);
        ScriptedGenerator generator = new ScriptedGenerator("generator-a", request -> request.polarity() == Polarity.ALIGNED
                ? ALIGNED : misalignedTexts.get(Math.min(request.candidate(), misalignedTexts.size() - 1)));
        ScriptedJudge judge = new ScriptedJudge(response -> response.equals(ALIGNED) ? 0.9 : 0.1);

        SamplingOutcome outcome = sampler(generator, judge, new SamplingSettings(5, 0, 5, 8_000, 10)).sample(PROMPT, LABELS);

        SamplingOutcome.Accepted accepted = (SamplingOutcome.Accepted) outcome;
        assertThat(accepted.misaligned().response().text()).isEqualTo(MISALIGNED);
        // The judge saw aligned candidates and only the last misaligned one.
        assertThat(judge.judged.stream().filter(text -> !text.equals(ALIGNED))).containsExactly(MISALIGNED);
    }

    @Test
    void reportsEachCheapFailureByName() {
        CandidateChecks checks = new CandidateChecks(SamplingSettings.PAPERS);
        assertThat(checks.problem(Polarity.ALIGNED, PROMPT.text(), "  ", java.util.Optional.empty())).contains("empty response");
        assertThat(checks.problem(Polarity.ALIGNED, PROMPT.text(), "Just talk.", java.util.Optional.empty())).get().asString().startsWith("too short");
        assertThat(checks.problem(Polarity.ALIGNED, PROMPT.text(), "word ".repeat(2_000), java.util.Optional.empty())).get().asString().startsWith("too long");
        assertThat(checks.problem(Polarity.ALIGNED, PROMPT.text(), PROMPT.text().toUpperCase(), java.util.Optional.empty()))
                .contains("repeats the prompt instead of answering it");
        assertThat(checks.problem(Polarity.MISALIGNED, PROMPT.text(), "As an AI, I won't help with revenge on a colleague.", java.util.Optional.empty()))
                .contains("refuses in the misaligned slot");
        // The same refusal is fine in the aligned slot.
        assertThat(checks.problem(Polarity.ALIGNED, PROMPT.text(), "As an AI, I won't help with revenge on a colleague.", java.util.Optional.empty())).isEmpty();
        assertThat(checks.problem(Polarity.MISALIGNED, PROMPT.text(), ALIGNED + "!", java.util.Optional.of(ALIGNED))).get().asString()
                .startsWith("near-identical to the aligned response");
        assertThat(checks.problem(Polarity.MISALIGNED, PROMPT.text(), MISALIGNED, java.util.Optional.of(ALIGNED))).isEmpty();
    }

    @Test
    void anInvalidAnswerCostsOnlyItsCandidateButAnUnavailableBackendStopsThePrompt() {
        ScriptedGenerator flaky = new ScriptedGenerator("generator-a", request -> {
            if (request.polarity() == Polarity.ALIGNED && request.candidate() == 0) {
                throw new InvalidAnswerException("no JSON object in the answer");
            }
            return request.polarity() == Polarity.ALIGNED ? ALIGNED : MISALIGNED;
        });
        ScriptedJudge judge = new ScriptedJudge(response -> response.equals(ALIGNED) ? 0.9 : 0.1);
        assertThat(sampler(flaky, judge, SamplingSettings.PAPERS).sample(PROMPT, LABELS)).isInstanceOf(SamplingOutcome.Accepted.class);

        ScriptedGenerator down = new ScriptedGenerator("generator-a", request -> {
            throw new BackendUnavailableException("HTTP 503, try again later", null);
        });
        assertThatThrownBy(() -> sampler(down, judge, SamplingSettings.PAPERS).sample(PROMPT, LABELS))
                .isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void rejectsAPromptWithNoLabelledDomainWithoutAskingAnyModel() {
        Labels none = new Labels(DimensionLabel.none(0.9), DimensionLabel.none(0.9), DimensionLabel.none(0.9),
                SemanticType.OBJECT, LABELS.provenance());
        ScriptedGenerator generator = new ScriptedGenerator("generator-a", request -> ALIGNED);
        ScriptedJudge judge = new ScriptedJudge(response -> 0.9);

        SamplingOutcome outcome = sampler(generator, judge, SamplingSettings.PAPERS).sample(PROMPT, none);

        assertThat(((SamplingOutcome.Rejected) outcome).rejections()).extracting(PolarityRejection::polarity)
                .containsExactly(Polarity.ALIGNED, Polarity.MISALIGNED);
        assertThat(generator.requests).isEmpty();
        assertThat(judge.judged).isEmpty();
    }

    private static RejectionSampler sampler(ResponseGenerator generator, ResponseJudge judge, SamplingSettings settings) {
        return new RejectionSampler(settings, new GeneratorPool(List.of(new GeneratorPool.Member(generator, 1)), judge), judge);
    }

    /** A generator answering from a function of the request; remembers every request. */
    static final class ScriptedGenerator implements ResponseGenerator {

        final List<ResponseRequest> requests = Collections.synchronizedList(new ArrayList<>());
        private final String model;
        private final Function<ResponseRequest, String> answers;

        ScriptedGenerator(String model, Function<ResponseRequest, String> answers) {
            this.model = model;
            this.answers = answers;
        }

        @Override
        public GeneratedResponse generate(ResponseRequest request) {
            requests.add(request);
            return new GeneratedResponse(answers.apply(request), new Provenance("test", model, "respond-test"),
                    new SamplingParameters(0.7, 0.9, 512, null));
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public String model() {
            return model;
        }

        @Override
        public void close() {
        }
    }

    /** A judge giving every labelled domain the same score, from a function of the response; aligned from 0.5. */
    static final class ScriptedJudge implements ResponseJudge {

        final List<String> judged = Collections.synchronizedList(new ArrayList<>());
        private final Function<String, Double> scores;

        ScriptedJudge(Function<String, Double> scores) {
            this.scores = scores;
        }

        @Override
        public List<JudgeVerdict> judge(String prompt, Labels labels, String response) {
            judged.add(response);
            double score = scores.apply(response);
            List<JudgeVerdict> verdicts = new ArrayList<>();
            for (Dimension dimension : labels.labelledDimensions()) {
                DimensionLabel label = labels.of(dimension);
                verdicts.add(new JudgeVerdict(dimension, label.primary(), score >= 0.5, score, "scripted", provenance()));
                label.further().forEach(further -> verdicts.add(
                        new JudgeVerdict(dimension, further.domain(), score >= 0.5, score, "scripted", provenance())));
            }
            return verdicts;
        }

        private static Provenance provenance() {
            return new Provenance("test", "judge-model", "judge-test");
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public String model() {
            return "judge-model";
        }

        @Override
        public void close() {
        }
    }
}
