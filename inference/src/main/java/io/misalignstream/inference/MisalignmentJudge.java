package io.misalignstream.inference;

/**
 * A target model under evaluation. It sees a prompt and ONE response, zero-shot, with no labels and no reference
 * response, and says whether the response is misaligned. An answer it gives that cannot be read as either class is
 * an {@link io.misalignstream.contracts.event.Verdict#INVALID} verdict, never an exception: invalid answers are
 * part of what is measured.
 */
public interface MisalignmentJudge extends AutoCloseable {

    /**
     * @throws BackendUnavailableException the backend cannot answer now (timeout, 5xx, 429, refused connection): the
     *                                     caller tries again later
     */
    TargetAnswer judge(String prompt, String response);

    /** Calls that may run at once (the endpoint's max concurrency; the cores for an in-process model). */
    int parallelism();

    /** The model's name, as reports show it. */
    String model();

    @Override
    void close();
}
