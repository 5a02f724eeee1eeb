package io.misalignstream.e2e;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.devstack.TopicReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Which terminal topics each prompt id reached (a topic once however often), the candidates' ids, the dead letters by key. */
record TerminalPlaces(Map<String, Set<String>> byId, Set<String> candidates, Map<String, List<DeadLetter>> deadLetters) {

    /** The dead-letter topics of the stages a prompt passes through. */
    static final List<String> DEAD_LETTERS = List.of(Topics.deadLetterOf(Topics.PROMPTS_INGESTED),
            Topics.deadLetterOf(Topics.PROMPTS_CLASSIFIED), Topics.deadLetterOf(Topics.PROMPTS_CANDIDATES),
            Topics.deadLetterOf(Topics.PROMPTS_UNIQUE));
    /** The stages' outputs where a prompt's way ends; pairs.accepted.dlq is not one (the pair is on pairs.accepted). */
    static final List<String> TERMINAL;

    static {
        List<String> terminal = new ArrayList<>(List.of(Topics.PAIRS_ACCEPTED, Topics.PAIRS_REJECTED, Topics.PROMPTS_DUPLICATES));
        terminal.addAll(DEAD_LETTERS);
        TERMINAL = List.copyOf(terminal);
    }

    static TerminalPlaces read(String kafka) {
        Map<String, Set<String>> byId = new HashMap<>();
        Map<String, List<DeadLetter>> deadLetters = new HashMap<>();
        for (String topic : TERMINAL) {
            for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka, topic)) {
                String id;
                if (topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
                    DeadLetter letter = EventCodec.decode(record.value(), DeadLetter.class);
                    deadLetters.computeIfAbsent(letter.key(), key -> new ArrayList<>()).add(letter);
                    id = letter.key();
                } else {
                    id = record.key(); // the prompt id, on every topic of the pipeline
                }
                byId.computeIfAbsent(id, key -> new HashSet<>()).add(topic);
            }
        }
        Set<String> candidates = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka, Topics.PROMPTS_CANDIDATES)) {
            candidates.add(record.key());
        }
        return new TerminalPlaces(byId, candidates, deadLetters);
    }

    Set<String> of(String id) {
        return byId.getOrDefault(id, Set.of());
    }

    Set<String> ids(String topic) {
        Set<String> ids = new HashSet<>();
        byId.forEach((id, topics) -> {
            if (topics.contains(topic)) {
                ids.add(id);
            }
        });
        return ids;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TerminalPlaces places && places.byId.equals(byId) && places.candidates.equals(candidates);
    }

    @Override
    public int hashCode() {
        return byId.hashCode();
    }
}
