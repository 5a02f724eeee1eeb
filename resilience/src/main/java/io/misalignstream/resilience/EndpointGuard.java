package io.misalignstream.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * What stands in front of one LLM endpoint: optional retries of a call with exponential back-off, and a circuit
 * breaker that fails calls at once for a while after most recent ones found the endpoint unavailable, so a down server
 * is probed instead of each call waiting for its timeout. Only {@link TransientFailure}s count against the endpoint and
 * are retried; an open circuit is thrown as {@link CircuitOpenException}, itself transient, so the caller's batch backs
 * off. Publishes {@code <prefix>.circuit.state} (0 closed, 1 open, 2 half-open) and {@code <prefix>.circuit.openings}.
 * A {@link ConfigurationFault} is not retried (the next call would be refused the same way); it is counted in
 * {@code <prefix>.misconfigured} and kept as {@link #configurationFault()} until a call succeeds.
 */
public final class EndpointGuard {

    private static final Logger LOG = Logger.getLogger(EndpointGuard.class);

    private final String name;
    private final TypedGuard<Object> guard;
    private final AtomicInteger state = new AtomicInteger();
    private final Counter openings;
    private final Counter misconfigured;
    private final AtomicReference<String> configurationFault = new AtomicReference<>();

    private EndpointGuard(Builder builder) {
        this.name = builder.name;
        this.openings = Counter.builder(builder.meterPrefix + ".circuit.openings").tags(builder.tags)
                .description("Times the circuit breaker stopped calls to the endpoint").register(builder.metrics);
        this.misconfigured = Counter.builder(builder.meterPrefix + ".misconfigured").tags(builder.tags)
                .description("Calls the endpoint refused for the service's configuration (API key, model, URL)").register(builder.metrics);
        Gauge.builder(builder.meterPrefix + ".circuit.state", state, AtomicInteger::get).tags(builder.tags)
                .description("The endpoint's circuit breaker: 0 closed, 1 open, 2 half-open").register(builder.metrics);
        TypedGuard.Builder<Object> guard = TypedGuard.create(Object.class).withDescription(name);
        builder.retry.filter(retry -> retry.maxRetries() > 0).ifPresent(retry -> guard.withRetry()
                .maxRetries(retry.maxRetries())
                .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                .maxDuration(0, ChronoUnit.MILLIS)
                .jitter(retry.initialDelay().toMillis() / 4, ChronoUnit.MILLIS)
                .whenException(failure -> (TransientFailure.isTransient(failure) || failure instanceof CircuitBreakerOpenException)
                        && !(failure instanceof ConfigurationFault))
                .onRetry(builder.onRetry)
                .withExponentialBackoff().factor(2).maxDelay(retry.maxDelay().toMillis(), ChronoUnit.MILLIS).done()
                .done());
        CircuitBreakerConfig breaker = builder.circuitBreaker;
        this.guard = guard.withCircuitBreaker()
                .name(name)
                .failOn(TransientFailure.class)
                .requestVolumeThreshold(breaker.requestVolumeThreshold())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .onStateChange(this::changed)
                .done()
                .build();
    }

    /** @param name the endpoint in logs and in the circuit breaker's name, e.g. {@code sampler-judge} */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The call's answer, through the retries and the circuit breaker.
     *
     * @throws TransientFailure the endpoint could not answer now (after the retries), or its circuit is open
     * @throws InterruptedException the thread was interrupted while it waited to retry
     */
    @SuppressWarnings("unchecked")
    public <T> T call(Callable<T> call) throws InterruptedException {
        try {
            // every attempt, retries included, is a sign that the work waiting on it is alive
            T answer = (T) guard.call(() -> {
                Heartbeat.beat();
                return call.call();
            });
            configurationFault.set(null);
            return answer;
        } catch (CircuitBreakerOpenException e) {
            throw new CircuitOpenException(name, e);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (e instanceof ConfigurationFault) {
                misconfigured.increment();
                if (configurationFault.getAndSet(e.getMessage()) == null) {
                    LOG.errorf("%s refuses the configuration: %s", name, e.getMessage());
                }
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the endpoint refused the configuration at the last call, until a call succeeds; empty otherwise. */
    public Optional<String> configurationFault() {
        return Optional.ofNullable(configurationFault.get());
    }

    private void changed(CircuitBreakerState now) {
        LOG.infof("%s circuit %s", name, now);
        state.set(switch (now) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        });
        if (now == CircuitBreakerState.OPEN) {
            openings.increment();
        }
    }

    @Override
    public String toString() {
        return "EndpointGuard[" + name + "]";
    }

    public static final class Builder {

        private final String name;
        private Optional<RetryConfig> retry = Optional.empty();
        private Runnable onRetry = () -> { };
        private CircuitBreakerConfig circuitBreaker;
        private MeterRegistry metrics;
        private String meterPrefix;
        private Tags tags = Tags.empty();
        private EndpointFaults faults;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Retries of each call (none without): {@code onRetry} is told of each one. */
        public Builder retry(RetryConfig retry, Runnable onRetry) {
            this.retry = Optional.of(retry);
            this.onRetry = Objects.requireNonNull(onRetry, "onRetry");
            return this;
        }

        public Builder circuitBreaker(CircuitBreakerConfig circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
            return this;
        }

        /** Where the circuit's meters go: {@code <prefix>.circuit.state} and {@code <prefix>.circuit.openings} with the tags. */
        public Builder metrics(MeterRegistry metrics, String prefix, Tags tags) {
            this.metrics = metrics;
            this.meterPrefix = prefix;
            this.tags = tags;
            return this;
        }

        /** The service cannot work without the endpoint: its readiness is DOWN while the endpoint refuses the configuration. */
        public Builder requiredBy(EndpointFaults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        public EndpointGuard build() {
            Objects.requireNonNull(circuitBreaker, "circuitBreaker");
            Objects.requireNonNull(metrics, "metrics");
            EndpointGuard guard = new EndpointGuard(this);
            if (faults != null) {
                faults.require(name, guard);
            }
            return guard;
        }
    }
}
