package io.misalignstream.inference;

/**
 * Port: writes a new prompt for a domain that has too few. Safe to call from {@link #parallelism()} threads
 * at once.
 */
public interface PromptGenerator extends AutoCloseable {

    /**
     * @throws BackendUnavailableException the backend cannot answer now: try again later
     * @throws InvalidAnswerException the backend answered, but not with a usable prompt even when asked again
     */
    GeneratedPrompt generate(GenerationRequest request);

    /** How many callers this generator serves at once without queueing. */
    int parallelism();

    @Override
    void close();
}
