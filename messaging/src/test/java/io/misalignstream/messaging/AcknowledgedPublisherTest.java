package io.misalignstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class AcknowledgedPublisherTest {

    private final RecordingEmitter emitter = new RecordingEmitter();

    @Test
    void sendsAgainWhatKafkaRefusedAndReturnsOnceItHasEverything() {
        emitter.refuseNext(2, new TimeoutException("broker away"));

        AcknowledgedPublisher.publishAll(List.of(output("a"), output("b")));

        assertThat(emitter.acknowledged()).extracting(value -> new String(value, StandardCharsets.UTF_8)).containsExactlyInAnyOrder("a", "b");
        assertThat(emitter.sends()).isEqualTo(2 + 2);
    }

    @Test
    void givesTheBatchUpAfterTheLastAttemptSoItIsNotAcknowledged() {
        emitter.refuseNext(AcknowledgedPublisher.ATTEMPTS, new TimeoutException("broker away"));

        assertThatThrownBy(() -> AcknowledgedPublisher.publishAll(List.of(output("a"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("failed " + AcknowledgedPublisher.ATTEMPTS + " times");
        assertThat(emitter.acknowledged()).isEmpty();
    }

    @Test
    void theNonBlockingSendFollowsTheSameRetryPolicy() {
        emitter.refuseNext(AcknowledgedPublisher.ATTEMPTS - 1, new TimeoutException("broker away"));
        AcknowledgedPublisher.sendAll(List.of(output("a"))).await().atMost(Duration.ofSeconds(10));
        assertThat(emitter.acknowledged()).hasSize(1);

        emitter.refuseNext(AcknowledgedPublisher.ATTEMPTS, new TimeoutException("broker away"));
        assertThatThrownBy(() -> AcknowledgedPublisher.sendAll(List.of(output("b"))).await().atMost(Duration.ofSeconds(10)))
                .hasMessageContaining("broker away");
        assertThat(emitter.acknowledged()).hasSize(1);
    }

    private KafkaOutput output(String value) {
        return new KafkaOutput(emitter, value, value.getBytes(StandardCharsets.UTF_8));
    }
}
