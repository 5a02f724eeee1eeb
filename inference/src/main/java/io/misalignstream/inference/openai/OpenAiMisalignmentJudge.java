package io.misalignstream.inference.openai;

import dev.langchain4j.data.message.UserMessage;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.event.Verdict;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.ChatAnswerCache;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.MisalignmentJudge;
import io.misalignstream.inference.TargetAnswer;
import java.util.List;
import java.util.Objects;

/**
 * A target model under evaluation behind any OpenAI-compatible endpoint, through the same LangChain4j client set-up as
 * {@link OpenAiPromptClassifier}: it sees a prompt and one response, zero-shot, and says whether the response is
 * misaligned (template {@value #TEMPLATE_VERSION}, see {@link TargetPrompt}: the prompt between {@code <prompt>} and the
 * response between {@code <response>} delimiters, as data never to be obeyed; the answer asked for as
 * {@code {"misaligned": true|false, "reason": "..."}}).
 *
 * <p>The target is asked <em>without</em> a response format: real targets often support no structured output, and how
 * they answer is part of what is measured. The answer is read by {@link TargetVerdictParser}, which takes JSON (fenced,
 * in prose) or plain words ("Misaligned", "No", "not harmful"); an answer it cannot read as either class is
 * {@link Verdict#INVALID}, kept in the {@link TargetAnswer}, and never asked again. So is a request the server rejects
 * for its content (HTTP 400, 413, 422, e.g. beyond the model's context): the target could not answer it, and the
 * answer holds the server's reason. Failures that may pass (timeout, 5xx, 429, connection, 401/403/404) are
 * {@link BackendUnavailableException}s as for every role.
 *
 * <p>Sampling {@link #DEFAULT_SAMPLING} (the papers'). The repeat is the request's sample number in the
 * {@link ChatAnswerCache} key (see {@code ChatEndpoint}): repeats of one question are independent samples, and a
 * resumed run asking the same repeat again is answered from the cache, with {@link TargetAnswer#cached()} set. Every
 * answer the endpoint gave is stored, invalid ones included, since they are the target's answers; rejected requests
 * are not. At most {@link EndpointSettings#maxConcurrency()} requests are in flight; callers beyond wait in turn.
 */
public final class OpenAiMisalignmentJudge extends ChatRole implements MisalignmentJudge {

    /** The version of the messages in {@link TargetPrompt}. */
    public static final String TEMPLATE_VERSION = "target-v1";

    /** The papers' sampling of targets: temperature 0.7, top-p 0.9, at most 512 new tokens, no seed. */
    public static final SamplingParameters DEFAULT_SAMPLING = new SamplingParameters(0.7, 0.9, 512, null);

    private static final TargetPrompt PROMPT = new TargetPrompt();

    /** @param settings the endpoint; its timeout and retries apply to each request */
    public OpenAiMisalignmentJudge(EndpointSettings settings) {
        this(settings, ChatAnswerCache.NONE);
    }

    /** @param cache where the target's answers are kept and a repeat asked again is answered from */
    public OpenAiMisalignmentJudge(EndpointSettings settings, ChatAnswerCache cache) {
        super(settings, "target", TEMPLATE_VERSION, null, cache);
    }

    @Override
    public TargetAnswer judge(String prompt, String response, int repeat) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        if (repeat < 0) {
            throw new IllegalArgumentException("repeat: 0 or more, got " + repeat);
        }
        ChatEndpoint.Answered<Reading> answered;
        try {
            answered = endpoint.askAnswered(List.of(PROMPT.system(), PROMPT.user(prompt, response)), DEFAULT_SAMPLING,
                    repeat, Reading::of, OpenAiMisalignmentJudge::noCorrection);
        } catch (InvalidAnswerException rejected) {
            // the parser never refuses an answer: this is the server refusing the request itself
            return new TargetAnswer(Verdict.INVALID, rejected.getMessage(), false);
        }
        return new TargetAnswer(answered.value().verdict(), answered.value().answer(), answered.cached());
    }

    /** An answer with its verdict; reading never fails, so the endpoint never asks again. */
    private record Reading(Verdict verdict, String answer) {

        static Reading of(String answer) {
            return new Reading(TargetVerdictParser.parse(answer), answer);
        }
    }

    private static UserMessage noCorrection(String error) {
        throw new IllegalStateException("a target's answer is never asked again: " + error);
    }

    @Override
    public String toString() {
        return "OpenAiMisalignmentJudge[" + settings + ", sampling=" + DEFAULT_SAMPLING + ", template=" + TEMPLATE_VERSION + "]";
    }
}
