package io.misalignstream.inference;

import io.misalignstream.contracts.event.Labels;

/**
 * Port: labels one prompt in the safety, value and cultural dimensions and with a semantic type. Every
 * label comes from the taxonomy, whatever the prompt says. Implementations are safe to call from
 * {@link #parallelism()} threads at once.
 */
public interface PromptClassifier extends AutoCloseable {

    /**
     * @throws BackendUnavailableException the backend cannot answer now (timeout, 5xx, 429, circuit open): try again later
     * @throws InvalidAnswerException the backend answered, but not with valid labels even when asked again
     */
    Labels classify(String text);

    /** How many callers this classifier serves at once without queueing: sessions in process, or in-flight requests. */
    int parallelism();

    @Override
    void close();
}
