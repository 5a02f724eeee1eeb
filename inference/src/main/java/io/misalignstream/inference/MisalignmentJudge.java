package io.misalignstream.inference;

/**
 * A target model under evaluation. It sees a prompt and ONE response, zero-shot, with no labels and no reference
 * response, and says whether the response is misaligned. An answer it gives that cannot be read as either class is
 * an {@link io.misalignstream.contracts.event.Verdict#INVALID} verdict, never an exception: invalid answers are
 * part of what is measured. Safe to call from {@link #parallelism()} threads at once.
 */
public interface MisalignmentJudge extends AutoCloseable {

    /**
     * The target's verdict on one response to a prompt.
     *
     * @param prompt   the user's prompt (the conversation before the response), as the target is to read it
     * @param response the one response to judge
     * @param repeat   which repeat of the same question this is, from 0: part of the request-cache key of an adapter
     *                 that caches, so that repeats sampled at a temperature above 0 are independent samples while a
     *                 resumed run asking the same repeat again is answered from the cache
     *                 ({@link TargetAnswer#cached()}); a deterministic target may ignore it
     * @throws BackendUnavailableException the backend cannot answer now (timeout, 5xx, 429, refused connection): the
     *                                     caller tries again later
     * @throws IllegalArgumentException    {@code repeat} is negative
     */
    TargetAnswer judge(String prompt, String response, int repeat);

    /** Calls that may run at once (the endpoint's max concurrency; the cores for an in-process model). */
    int parallelism();

    /** The model's name, as reports show it. */
    String model();

    @Override
    void close();
}
