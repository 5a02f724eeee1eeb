package io.misalignstream.sampler.domain;

import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.event.PolarityRejection;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.inference.GeneratedResponse;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.ResponseJudge;
import io.misalignstream.inference.ResponseRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two-stage rejection sampling of one prompt (SEED-FACTS, "Two-stage rejection sampling"). Per polarity, aligned
 * first: K candidates from the generator pool; stage 1 filters them ({@link CandidateChecks}, then the judge on
 * every dimension the prompt is labelled with); the aligned response must be judged aligned on every labelled
 * domain, the misaligned one misaligned on at least one; the best-scored acceptable candidate wins. Stage 2: a
 * polarity with no acceptable candidate is generated again with the judge's feedback, up to
 * {@link SamplingSettings#feedbackIterations()} times. Plain Java, one prompt per call, on the caller's thread.
 *
 * <p>A backend that cannot answer now ({@link io.misalignstream.inference.BackendUnavailableException}) ends the
 * call: the caller retries the prompt later, and the request cache answers what was already asked. An answer that
 * stays invalid costs only its candidate, with the reason.
 */
public final class RejectionSampler {

    /** Feedback lines passed to the next attempt at most: the prompt must stay within a model's context. */
    static final int MAX_FEEDBACK = 8;
    /** Reasons kept per rejected polarity (the contract's limit). */
    static final int MAX_REASONS = 64;

    private final SamplingSettings settings;
    private final GeneratorPool generators;
    private final ResponseJudge judge;
    private final CandidateChecks checks;

    public RejectionSampler(SamplingSettings settings, GeneratorPool generators, ResponseJudge judge) {
        this.settings = settings;
        this.generators = generators;
        this.judge = judge;
        this.checks = new CandidateChecks(settings);
    }

    public SamplingOutcome sample(Prompt prompt, Labels labels) {
        if (labels.labelledDimensions().isEmpty()) {
            String reason = "no labelled domain: the prompt is 'none' in every dimension, so no response can honour or break a norm of it";
            return new SamplingOutcome.Rejected(List.of(
                    new PolarityRejection(Polarity.ALIGNED, 0, List.of(reason)),
                    new PolarityRejection(Polarity.MISALIGNED, 0, List.of(reason))));
        }
        PolarityResult aligned = samplePolarity(prompt, labels, Polarity.ALIGNED, Optional.empty());
        PolarityResult misaligned = samplePolarity(prompt, labels, Polarity.MISALIGNED,
                aligned.chosen().map(chosen -> chosen.response().text()));
        if (aligned.chosen().isPresent() && misaligned.chosen().isPresent()) {
            return new SamplingOutcome.Accepted(aligned.chosen().get(), misaligned.chosen().get());
        }
        List<PolarityRejection> rejections = new ArrayList<>(2);
        aligned.rejection().ifPresent(rejections::add);
        misaligned.rejection().ifPresent(rejections::add);
        return new SamplingOutcome.Rejected(rejections);
    }

    private record PolarityResult(Optional<ChosenResponse> chosen, Optional<PolarityRejection> rejection) {
    }

    private PolarityResult samplePolarity(Prompt prompt, Labels labels, Polarity polarity, Optional<String> alignedText) {
        List<String> feedback = List.of();
        List<String> reasons = new ArrayList<>();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            ChosenResponse best = null;
            List<String> nextFeedback = new ArrayList<>();
            for (int i = 0; i < settings.candidates(); i++) {
                int candidate = (attempt - 1) * settings.candidates() + i;
                Judged judged = judge(prompt, labels, polarity, candidate, feedback, alignedText);
                if (judged.problem().isPresent()) {
                    String problem = judged.problem().get();
                    reasons.add("attempt " + attempt + ", candidate " + (i + 1) + ": " + problem);
                    nextFeedback.add(problem);
                } else if (best == null || judged.score() > best.score()) {
                    best = new ChosenResponse(judged.response(), judged.verdicts(), judged.score(), attempt);
                }
            }
            if (best != null) {
                return new PolarityResult(Optional.of(best), Optional.empty());
            }
            feedback = nextFeedback.stream().distinct().limit(MAX_FEEDBACK).toList();
        }
        return new PolarityResult(Optional.empty(), Optional.of(new PolarityRejection(polarity, settings.attempts(),
                reasons.stream().limit(MAX_REASONS).toList())));
    }

    /** A candidate and either its verdicts and score, or why it is not acceptable. */
    private record Judged(GeneratedResponse response, List<JudgeVerdict> verdicts, double score, Optional<String> problem) {

        static Judged acceptable(GeneratedResponse response, List<JudgeVerdict> verdicts, double score) {
            return new Judged(response, verdicts, score, Optional.empty());
        }

        static Judged problem(String problem) {
            return new Judged(null, List.of(), 0, Optional.of(problem));
        }
    }

    private Judged judge(Prompt prompt, Labels labels, Polarity polarity, int candidate, List<String> feedback,
                         Optional<String> alignedText) {
        GeneratedResponse response;
        try {
            response = generators.choose(prompt.id(), polarity, candidate)
                    .generate(new ResponseRequest(prompt.text(), labels, polarity, candidate, feedback));
        } catch (InvalidAnswerException e) {
            return Judged.problem("the generator's answer was invalid: " + e.getMessage());
        }
        Optional<String> problem = checks.problem(polarity, prompt.text(), response.text(), alignedText);
        if (problem.isPresent()) {
            return Judged.problem(problem.get());
        }
        List<JudgeVerdict> verdicts;
        try {
            verdicts = judge.judge(prompt.text(), labels, response.text());
        } catch (InvalidAnswerException e) {
            return Judged.problem("the judge's answer was invalid: " + e.getMessage());
        }
        if (verdicts.isEmpty()) {
            return Judged.problem("the judge gave no verdict");
        }
        if (polarity == Polarity.ALIGNED) {
            List<JudgeVerdict> broken = verdicts.stream().filter(verdict -> !verdict.aligned()).toList();
            if (!broken.isEmpty()) {
                return Judged.problem("judged misaligned on " + describe(broken));
            }
            double weakest = verdicts.stream().mapToDouble(JudgeVerdict::score).min().orElseThrow();
            return Judged.acceptable(response, verdicts, weakest);
        }
        if (verdicts.stream().allMatch(JudgeVerdict::aligned)) {
            return Judged.problem("judged aligned on every labelled domain, so it shows no failure: " + describe(verdicts));
        }
        double strongestBreach = 1 - verdicts.stream().mapToDouble(JudgeVerdict::score).min().orElseThrow();
        return Judged.acceptable(response, verdicts, strongestBreach);
    }

    private static String describe(List<JudgeVerdict> verdicts) {
        StringBuilder text = new StringBuilder();
        for (JudgeVerdict verdict : verdicts) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(verdict.dimension().json()).append('/').append(verdict.domain());
            if (verdict.rationale() != null && !verdict.rationale().isBlank()) {
                text.append(" (").append(verdict.rationale().strip()).append(')');
            }
        }
        return text.toString();
    }
}
