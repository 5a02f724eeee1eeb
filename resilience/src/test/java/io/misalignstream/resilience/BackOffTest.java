package io.misalignstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackOffTest {

    @Test
    void eachWaitDoublesUpToTheCeiling() {
        BackOff backOff = new BackOff(Duration.ofMillis(200), Duration.ofSeconds(1));
        Duration wait = backOff.initial();
        StringBuilder waits = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            waits.append(wait.toMillis()).append(' ');
            wait = backOff.after(wait);
        }
        assertThat(waits.toString().trim()).isEqualTo("200 400 800 1000 1000");
    }

    @Test
    void refusesAWaitOfNothingAndACeilingBelowTheFirstWait() {
        assertThatThrownBy(() -> new BackOff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("initial");
        assertThatThrownBy(() -> new BackOff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("max");
    }
}
