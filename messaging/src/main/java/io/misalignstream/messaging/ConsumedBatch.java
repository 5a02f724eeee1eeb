package io.misalignstream.messaging;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.resilience.ItemResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * A polled batch as a stage works on it: the events it could decode, each with the record it came from, and the
 * outputs the batch is to publish before it is acknowledged (so far the dead letters of what could not be decoded).
 * Results are given back per event and routed here: a done one to the stage's outputs, a failed one to its record's
 * dead letter with the reason.
 */
public final class ConsumedBatch<E> {

    private final List<E> events;
    private final Map<E, ConsumerRecord<String, byte[]>> origins;
    private final DeadLetterChannel deadLetters;
    private final List<KafkaOutput> outputs;

    private ConsumedBatch(List<E> events, Map<E, ConsumerRecord<String, byte[]>> origins, DeadLetterChannel deadLetters,
                          List<KafkaOutput> outputs) {
        this.events = events;
        this.origins = origins;
        this.deadLetters = deadLetters;
        this.outputs = outputs;
    }

    /** Decodes every record; one that is not a valid {@code type} is dead-lettered with the codec's reason. */
    public static <E> ConsumedBatch<E> decode(ConsumerRecords<String, byte[]> records, Class<E> type, DeadLetterChannel deadLetters) {
        List<E> events = new ArrayList<>(records.count());
        // by identity: two records may carry equal events, and each has its own dead letter
        Map<E, ConsumerRecord<String, byte[]>> origins = new IdentityHashMap<>(records.count());
        List<KafkaOutput> outputs = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                E event = EventCodec.decode(record.value(), type);
                events.add(event);
                origins.put(event, record);
            } catch (InvalidEventException e) {
                outputs.add(deadLetters.of(record, e.getMessage(), e));
            }
        }
        return new ConsumedBatch<>(Collections.unmodifiableList(events), origins, deadLetters, outputs);
    }

    /** The decoded events, in the order of their records. */
    public List<E> events() {
        return events;
    }

    /**
     * Routes each event's result: a done value to the outputs {@code route} makes of it, a failure to the dead letter
     * of the event's record, and so is a done value whose output would be over the record limit.
     *
     * @param results one per event of {@link #events()}, in order
     */
    public <R> ConsumedBatch<E> route(List<ItemResult<R>> results, Function<R, List<KafkaOutput>> route) {
        if (results.size() != events.size()) {
            throw new IllegalArgumentException(results.size() + " results for " + events.size() + " events");
        }
        for (int i = 0; i < results.size(); i++) {
            ItemResult<R> result = results.get(i);
            if (result instanceof ItemResult.Done<R> done) {
                List<KafkaOutput> routed;
                try {
                    routed = route.apply(done.value());
                } catch (KafkaOutput.OversizedRecordException e) {
                    // it can never be published: the stream goes on without it
                    deadLetter(events.get(i), e.getMessage(), e);
                    continue;
                }
                outputs.addAll(routed);
            } else if (result instanceof ItemResult.Failed<R> failed) {
                deadLetter(events.get(i), failed.reason(), failed.error());
            } else {
                throw new IllegalArgumentException("an unavailable result is tried again, never routed");
            }
        }
        return this;
    }

    /** Dead-letters the record of one of the batch's events. */
    public void deadLetter(E event, String reason, Throwable error) {
        ConsumerRecord<String, byte[]> origin = origins.get(event);
        if (origin == null) {
            throw new IllegalArgumentException("not an event of this batch");
        }
        outputs.add(deadLetters.of(origin, reason, error));
    }

    /** Adds an output to publish with the batch. */
    public void add(KafkaOutput output) {
        outputs.add(output);
    }

    /** What the batch publishes before it is acknowledged: outputs and dead letters. */
    public List<KafkaOutput> outputs() {
        return List.copyOf(outputs);
    }
}
