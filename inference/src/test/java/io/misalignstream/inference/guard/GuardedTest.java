package io.misalignstream.inference.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.resilience.CircuitOpenException;
import io.misalignstream.resilience.EndpointGuard;
import io.misalignstream.resilience.GuardSettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardedTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicInteger retries = new AtomicInteger();

    @Test
    void theBackendsCallsGoThroughTheGuardAndWhatDescribesThePortDoesNot() {
        ScriptedClassifier backend = new ScriptedClassifier();
        PromptClassifier guarded = Guarded.port(PromptClassifier.class, backend, guard("described", 2));

        backend.failing = new BackendUnavailableException("503", null);
        assertThatThrownBy(() -> guarded.classify("text")).isInstanceOf(BackendUnavailableException.class).hasMessage("503");
        assertThat(backend.calls).as("the first try and two retries").hasValue(3);
        assertThat(retries).hasValue(2);

        assertThat(guarded.parallelism()).isEqualTo(7);
        guarded.close();
        assertThat(backend.closed).isTrue();
        assertThat(backend.calls).hasValue(3);
    }

    @Test
    void aFailureOfTheRequestsOwnComesThroughAsThrownAndAnOpenCircuitAsTransient() {
        ScriptedClassifier backend = new ScriptedClassifier();
        PromptClassifier guarded = Guarded.port(PromptClassifier.class, backend, guard("opened", 0));

        backend.failing = new InvalidAnswerException("not JSON");
        assertThatThrownBy(() -> guarded.classify("text")).isInstanceOf(InvalidAnswerException.class).hasMessage("not JSON");

        // a window of 4 calls: the invalid answer counted as the endpoint answering, then 3 of 4 failed
        backend.failing = new BackendUnavailableException("connection refused", null);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> guarded.classify("text")).isInstanceOf(BackendUnavailableException.class);
        }
        int calls = backend.calls.get();
        assertThatThrownBy(() -> guarded.classify("text")).isInstanceOf(CircuitOpenException.class);
        assertThat(backend.calls).as("an open circuit calls nothing").hasValue(calls);
    }

    private EndpointGuard guard(String name, int maxRetries) {
        return EndpointGuard.builder("guarded-test-" + name)
                .retry(GuardSettings.retry(maxRetries, Duration.ofMillis(2), Duration.ofMillis(4)), retries::incrementAndGet)
                .circuitBreaker(GuardSettings.breaker(4, 0.5, Duration.ofMinutes(1)))
                .metrics(metrics, "misalign.test", Tags.of("endpoint", name))
                .build();
    }

    private static final class ScriptedClassifier implements PromptClassifier {

        final AtomicInteger calls = new AtomicInteger();
        volatile RuntimeException failing;
        volatile boolean closed;

        @Override
        public Labels classify(String text) {
            calls.incrementAndGet();
            throw failing;
        }

        @Override
        public int parallelism() {
            return 7;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
