package io.misalignstream.sampler.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.GeneratedResponse;
import io.misalignstream.inference.ResponseGenerator;
import io.misalignstream.inference.ResponseJudge;
import io.misalignstream.inference.ResponseRequest;
import io.misalignstream.sampler.config.SamplerConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * A circuit breaker in front of one endpoint (a generator of the pool or the judge): once most recent calls found it
 * unavailable, calls fail at once for a while instead of each waiting for its timeout, and the batch backs off. The
 * retries themselves are the batch's ({@code sampler.retry}).
 */
final class EndpointCircuit {

    private static final Logger LOG = Logger.getLogger(EndpointCircuit.class);

    private final String role;
    private final AtomicInteger state = new AtomicInteger();
    private final Counter openings;
    private final SamplerConfig.CircuitBreaker settings;

    private EndpointCircuit(String role, SamplerConfig.CircuitBreaker settings, MeterRegistry metrics) {
        this.role = role;
        this.settings = settings;
        this.openings = Counter.builder("misalign.sampler.llm.circuit.openings").tag("role", role)
                .description("Times the circuit breaker stopped calls to the endpoint").register(metrics);
        Gauge.builder("misalign.sampler.llm.circuit.state", state, AtomicInteger::get).tag("role", role)
                .description("The endpoint's circuit breaker: 0 closed, 1 open, 2 half-open").register(metrics);
    }

    static ResponseGenerator guard(ResponseGenerator generator, String role, SamplerConfig.CircuitBreaker settings, MeterRegistry metrics) {
        EndpointCircuit circuit = new EndpointCircuit(role, settings, metrics);
        TypedGuard<GeneratedResponse> guard = circuit.build(TypedGuard.create(GeneratedResponse.class));
        return new ResponseGenerator() {
            @Override
            public GeneratedResponse generate(ResponseRequest request) {
                return circuit.call(guard, () -> generator.generate(request));
            }

            @Override
            public int parallelism() {
                return generator.parallelism();
            }

            @Override
            public String model() {
                return generator.model();
            }

            @Override
            public void close() {
                generator.close();
            }

            @Override
            public String toString() {
                return generator.toString();
            }
        };
    }

    static ResponseJudge guard(ResponseJudge judge, String role, SamplerConfig.CircuitBreaker settings, MeterRegistry metrics) {
        EndpointCircuit circuit = new EndpointCircuit(role, settings, metrics);
        TypedGuard<List<JudgeVerdict>> guard = circuit.build(TypedGuard.create(new TypeLiteral<List<JudgeVerdict>>() {
        }));
        return new ResponseJudge() {
            @Override
            public List<JudgeVerdict> judge(String prompt, Labels labels, String response) {
                return circuit.call(guard, () -> judge.judge(prompt, labels, response));
            }

            @Override
            public int parallelism() {
                return judge.parallelism();
            }

            @Override
            public String model() {
                return judge.model();
            }

            @Override
            public void close() {
                judge.close();
            }

            @Override
            public String toString() {
                return judge.toString();
            }
        };
    }

    private <T> TypedGuard<T> build(TypedGuard.Builder<T> builder) {
        return builder.withDescription("sampler " + role)
                .withCircuitBreaker()
                    .name("sampler-" + role)
                    .failOn(BackendUnavailableException.class)
                    .requestVolumeThreshold(settings.requestVolumeThreshold())
                    .failureRatio(settings.failureRatio())
                    .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                    .onStateChange(this::changed)
                    .done()
                .build();
    }

    private <T> T call(TypedGuard<T> guard, Callable<T> call) {
        try {
            return guard.call(call);
        } catch (CircuitBreakerOpenException e) {
            throw new BackendUnavailableException(role + ": circuit open after repeated failures", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void changed(CircuitBreakerState now) {
        LOG.infof("%s circuit %s", role, now);
        state.set(switch (now) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        });
        if (now == CircuitBreakerState.OPEN) {
            openings.increment();
        }
    }
}
