package io.misalignstream.inference.openai;

import io.misalignstream.inference.ChatAnswerCache;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ChatAnswerCache} in a map, as Redis would hold it, for tests. */
final class InMemoryAnswerCache implements ChatAnswerCache {

    final Map<String, String> answers = new ConcurrentHashMap<>();

    @Override
    public Optional<String> find(String key) {
        return Optional.ofNullable(answers.get(key));
    }

    @Override
    public void store(String key, String answer) {
        answers.put(key, answer);
    }
}
