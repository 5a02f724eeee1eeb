package io.misalignstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.resilience.ItemResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumedBatchTest {

    private static final String TOPIC = "prompts.ingested";

    private final RecordingEmitter dlq = new RecordingEmitter();
    private final RecordingEmitter out = new RecordingEmitter();
    private final Counter deadLettered = new SimpleMeterRegistry().counter("dead.letters");
    private final DeadLetterChannel deadLetters = new DeadLetterChannel(dlq, "test-service", deadLettered);

    @Test
    void decodesWhatItCanAndDeadLettersTheRestWithTheCodecsReason() {
        ConsumedBatch<IngestedPrompt> batch = ConsumedBatch.decode(records(
                record(0, "a", EventCodec.encode(prompt("a", "first"))),
                record(1, "b", "{not json".getBytes(StandardCharsets.UTF_8)),
                record(2, "c", EventCodec.encode(prompt("c", "third")))), IngestedPrompt.class, deadLetters);

        assertThat(batch.events()).extracting(event -> event.prompt().id()).containsExactly("a", "c");
        assertThat(batch.outputs()).hasSize(1);
        DeadLetter letter = EventCodec.decode(batch.outputs().get(0).value(), DeadLetter.class);
        assertThat(letter.offset()).isEqualTo(1);
        assertThat(letter.key()).isEqualTo("b");
        assertThat(letter.service()).isEqualTo("test-service");
        assertThat(letter.sourceTopic()).isEqualTo(TOPIC);
        assertThat(letter.reason()).isNotBlank();
        assertThat(deadLettered.count()).isEqualTo(1.0);
    }

    @Test
    void routesEachResultToItsOwnRecordsOutputsOrDeadLetter() {
        // two records with equal events: each failure must name its own record
        IngestedPrompt same = prompt("same", "twice");
        ConsumedBatch<IngestedPrompt> batch = ConsumedBatch.decode(records(
                record(10, "same", EventCodec.encode(same)),
                record(11, "same", EventCodec.encode(same)),
                record(12, "d", EventCodec.encode(prompt("d", "fourth")))), IngestedPrompt.class, deadLetters);

        batch.route(List.of(ItemResult.failed("too long", null), ItemResult.done("labelled same"), ItemResult.failed("refused", null)),
                value -> List.of(new KafkaOutput(out, value, value.getBytes(StandardCharsets.UTF_8))));

        assertThat(batch.outputs()).hasSize(3);
        List<DeadLetter> letters = batch.outputs().stream().filter(output -> output.emitter() == dlq)
                .map(output -> EventCodec.decode(output.value(), DeadLetter.class)).toList();
        assertThat(letters).extracting(DeadLetter::offset).containsExactly(10L, 12L);
        assertThat(letters).extracting(DeadLetter::reason).containsExactly("too long", "refused");
        assertThat(batch.outputs()).filteredOn(output -> output.emitter() == out).extracting(KafkaOutput::key)
                .containsExactly("labelled same");
    }

    @Test
    void anInputWhoseOutputWouldBeOverTheRecordLimitIsDeadLetteredAndTheBatchGoesOn() {
        ConsumedBatch<IngestedPrompt> batch = ConsumedBatch.decode(records(
                record(20, "big", EventCodec.encode(prompt("big", "grows"))),
                record(21, "small", EventCodec.encode(prompt("small", "stays")))), IngestedPrompt.class, deadLetters);

        batch.route(List.of(ItemResult.done(EventLimits.MAX_RECORD_BYTES + 1), ItemResult.done(EventLimits.MAX_RECORD_BYTES)),
                size -> List.of(new KafkaOutput(out, "k" + size, new byte[size])));

        List<DeadLetter> letters = batch.outputs().stream().filter(output -> output.emitter() == dlq)
                .map(output -> EventCodec.decode(output.value(), DeadLetter.class)).toList();
        assertThat(letters).extracting(DeadLetter::offset).containsExactly(20L);
        assertThat(letters.get(0).reason()).contains("1,048,577 bytes, over the limit of 1,048,576");
        assertThat(batch.outputs()).filteredOn(output -> output.emitter() == out).extracting(KafkaOutput::key)
                .containsExactly("k" + EventLimits.MAX_RECORD_BYTES);
    }

    @Test
    void refusesResultsThatDoNotMatchItsEventsOrAreStillUnavailable() {
        ConsumedBatch<IngestedPrompt> batch = ConsumedBatch.decode(records(record(0, "a", EventCodec.encode(prompt("a", "first")))),
                IngestedPrompt.class, deadLetters);

        assertThatThrownBy(() -> batch.route(List.of(), value -> List.of())).hasMessageContaining("0 results for 1 events");
        assertThatThrownBy(() -> batch.route(List.of(ItemResult.unavailable(new IllegalStateException("down"))), value -> List.of()))
                .hasMessageContaining("unavailable");
        assertThatThrownBy(() -> batch.deadLetter(prompt("a", "first"), "not of this batch", null))
                .hasMessageContaining("not an event of this batch");
    }

    private static IngestedPrompt prompt(String id, String text) {
        return IngestedPrompt.of(new Prompt(id, text, Lineage.original(new Source("test.csv", 1L)), Map.of()),
                Instant.parse("2026-12-01T00:00:00Z"));
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String key, byte[] value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, key, value);
    }

    @SafeVarargs
    private static ConsumerRecords<String, byte[]> records(ConsumerRecord<String, byte[]>... records) {
        return new ConsumerRecords<>(Map.of(new TopicPartition(TOPIC, 0), List.of(records)));
    }
}
