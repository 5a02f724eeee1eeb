package io.misalignstream.inference;

import java.util.Optional;

/**
 * Where the OpenAI-compatible adapters keep the valid answers of their calls, so that the same call made again (a
 * replay after a crash, a re-delivered record) is answered without paying the endpoint twice. The key is a SHA-256 hex
 * digest of the model, every message and the sampling parameters (seed included), computed by the adapter; the answer
 * is the model's raw text, stored only once it passed the adapter's validation.
 *
 * <p>Called from {@code parallelism()} threads at once. The cache only saves calls: an implementation that cannot
 * reach its store should answer a miss and skip the store rather than throw, as anything it throws reaches the caller
 * of the port.
 */
public interface ChatAnswerCache {

    /** Caches nothing: every call goes to the endpoint. */
    ChatAnswerCache NONE = new ChatAnswerCache() {
        @Override
        public Optional<String> find(String key) {
            return Optional.empty();
        }

        @Override
        public void store(String key, String answer) {
        }

        @Override
        public String toString() {
            return "ChatAnswerCache.NONE";
        }
    };

    Optional<String> find(String key);

    void store(String key, String answer);
}
