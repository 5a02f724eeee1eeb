package io.misalignstream.inference;

/**
 * Port: writes the aligned or the misaligned response to a prompt, for the sampler's candidates. Safe to call from
 * {@link #parallelism()} threads at once.
 */
public interface ResponseGenerator extends AutoCloseable {

    /**
     * @throws BackendUnavailableException the backend cannot answer now: try again later
     * @throws InvalidAnswerException the backend answered, but not with a usable response even when asked again
     */
    GeneratedResponse generate(ResponseRequest request);

    /** How many callers this generator serves at once without queueing. */
    int parallelism();

    /** The model that writes the responses, so that the sampler can refuse a judge that is also a generator. */
    String model();

    @Override
    void close();
}
