package io.misalignstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UntilAvailableTest {

    private final List<String> told = new CopyOnWriteArrayList<>();
    private final UntilAvailable untilAvailable = new UntilAvailable(new BackOff(Duration.ofMillis(1), Duration.ofMillis(4)),
            TransientFailure::isTransient, new UntilAvailable.Listener() {
                @Override
                public void unavailable(Throwable failure, Duration retryIn) {
                    told.add(failure.getMessage() + " " + retryIn.toMillis());
                }

                @Override
                public void available() {
                    told.add("available");
                }
            });

    @Test
    void triesATransientFailureAgainWithTheBackOffUntilTheStepAnswers() throws InterruptedException {
        AtomicInteger tries = new AtomicInteger();
        String answer = untilAvailable.call(() -> {
            if (tries.incrementAndGet() <= 4) {
                throw new TransientFailure("down");
            }
            return "answer";
        });

        assertThat(answer).isEqualTo("answer");
        assertThat(tries).hasValue(5);
        assertThat(told).containsExactly("down 1", "down 2", "down 4", "down 4", "available");
    }

    @Test
    void aFailureThatIsNotTransientEndsItAtOnce() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> untilAvailable.call(() -> {
            tries.incrementAndGet();
            throw new IllegalArgumentException("the item's own");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("the item's own");
        assertThat(tries).hasValue(1);
        assertThat(told).isEmpty();
    }

    @Test
    void anInterruptWhileWaitingStopsTheTries() {
        UntilAvailable slow = new UntilAvailable(new BackOff(Duration.ofSeconds(30), Duration.ofSeconds(30)),
                TransientFailure::isTransient, (failure, retryIn) -> { });
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> slow.call(() -> {
            throw new TransientFailure("down");
        })).isInstanceOf(InterruptedException.class);
    }
}
