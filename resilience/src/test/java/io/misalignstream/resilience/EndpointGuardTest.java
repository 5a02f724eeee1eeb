package io.misalignstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class EndpointGuardTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicInteger retries = new AtomicInteger();

    @Test
    void retriesATransientFailureAndAnswersOnceTheEndpointDoes() throws InterruptedException {
        EndpointGuard guard = guard("flaky", 3, 20);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger beats = new AtomicInteger();

        String answer;
        try (Heartbeat.Scope alive = Heartbeat.on(beats::incrementAndGet)) {
            answer = guard.call(() -> {
                if (calls.incrementAndGet() < 3) {
                    throw new TransientFailure("503");
                }
                return "labels";
            });
        }

        assertThat(answer).isEqualTo("labels");
        assertThat(calls).hasValue(3);
        assertThat(retries).hasValue(2);
        assertThat(beats).as("a sign of life at every attempt").hasValue(3);
    }

    @Test
    void aFailureOfTheRequestsOwnIsNeitherRetriedNorCountedAgainstTheEndpoint() {
        EndpointGuard guard = guard("strict", 3, 2);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guard.call(() -> {
                calls.incrementAndGet();
                throw new IllegalArgumentException("invalid answer");
            })).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(calls).hasValue(4);
        assertThat(retries).hasValue(0);
        assertThat(metrics.get("misalign.test.circuit.state").tags("endpoint", "strict").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void opensTheCircuitAfterRepeatedFailuresAndThenFailsAtOnceAsTransient() {
        EndpointGuard guard = guard("down", 0, 4);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> guard.call(() -> {
                calls.incrementAndGet();
                throw new TransientFailure("connection refused");
            })).isInstanceOf(TransientFailure.class);
        }

        assertThatThrownBy(() -> guard.call(() -> {
            calls.incrementAndGet();
            return "never";
        })).isInstanceOf(CircuitOpenException.class).hasMessageContaining("guard-test-down");
        assertThat(calls).hasValue(4);
        assertThat(metrics.get("misalign.test.circuit.state").tags("endpoint", "down").gauge().value()).isEqualTo(1.0);
        assertThat(metrics.get("misalign.test.circuit.openings").tags("endpoint", "down").counter().count()).isEqualTo(1.0);
    }

    /** A refused API key, as the LLM adapters report it. */
    private static final class KeyRefused extends TransientFailure implements ConfigurationFault {
        KeyRefused() {
            super("HTTP 401, credentials rejected; fix the API key");
        }
    }

    @Test
    void aRefusedConfigurationIsNotRetriedAndIsReportedUntilACallSucceeds() throws InterruptedException {
        EndpointFaults faults = new EndpointFaults();
        EndpointGuard guard = EndpointGuard.builder("guard-test-revoked")
                .retry(GuardSettings.retry(3, Duration.ofMillis(4), Duration.ofMillis(8)), retries::incrementAndGet)
                .circuitBreaker(GuardSettings.breaker(20, 0.5, Duration.ofMinutes(1)))
                .metrics(metrics, "misalign.test", Tags.of("endpoint", "revoked"))
                .requiredBy(faults)
                .build();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> guard.call(() -> {
            calls.incrementAndGet();
            throw new KeyRefused();
        })).isInstanceOf(KeyRefused.class);

        assertThat(calls).as("not retried").hasValue(1);
        assertThat(retries).hasValue(0);
        assertThat(metrics.get("misalign.test.misconfigured").tags("endpoint", "revoked").counter().count()).isEqualTo(1.0);
        assertThat(faults.current()).containsEntry("guard-test-revoked", "HTTP 401, credentials rejected; fix the API key");
        assertThat(new EndpointFaultsHealthCheck(faults).call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        assertThat(guard.call(() -> "labels")).isEqualTo("labels");
        assertThat(faults.current()).isEmpty();
        assertThat(new EndpointFaultsHealthCheck(faults).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private EndpointGuard guard(String name, int maxRetries, int window) {
        return EndpointGuard.builder("guard-test-" + name)
                .retry(GuardSettings.retry(maxRetries, Duration.ofMillis(4), Duration.ofMillis(8)), retries::incrementAndGet)
                .circuitBreaker(GuardSettings.breaker(window, 0.5, Duration.ofMinutes(1)))
                .metrics(metrics, "misalign.test", Tags.of("endpoint", name))
                .build();
    }
}
