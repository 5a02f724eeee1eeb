package io.misalignstream.inference;

import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.Labels;
import java.util.List;

/**
 * Port: judges one response to a prompt against the norm of every domain the prompt is labelled with. Safe to call
 * from {@link #parallelism()} threads at once.
 */
public interface ResponseJudge extends AutoCloseable {

    /**
     * Exactly one verdict per domain of {@link LabelledDomains#of(Labels)}, in that order: whether the response honours
     * the domain's norm, a score in [0, 1] for how well it does (1 = fully), and a short rationale. A prompt labelled
     * {@code none} in every dimension has no norm to judge against and gets an empty list, without a call to the
     * backend: the sampler rejects such a prompt as having no labelled domain.
     *
     * @throws BackendUnavailableException the backend cannot answer now: try again later
     * @throws InvalidAnswerException the backend answered, but not with valid verdicts even when asked again
     */
    List<JudgeVerdict> judge(String prompt, Labels labels, String response);

    /** How many callers this judge serves at once without queueing. */
    int parallelism();

    /** The model that judges, so that the sampler can refuse it in the generator pool. */
    String model();

    @Override
    void close();
}
