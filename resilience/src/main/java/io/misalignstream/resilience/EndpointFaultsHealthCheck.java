package io.misalignstream.resilience;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code llm-endpoints}: DOWN while an endpoint the service cannot work without refuses its configuration (key, model,
 * URL), with each such endpoint and the reason in the data. An endpoint that is only down or slow does not make the
 * service unready: its work waits, and the circuit breaker's meters show it.
 */
@Readiness
@ApplicationScoped
public class EndpointFaultsHealthCheck implements HealthCheck {

    private final EndpointFaults faults;

    public EndpointFaultsHealthCheck(EndpointFaults faults) {
        this.faults = faults;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> current = faults.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("llm-endpoints").status(current.isEmpty());
        current.forEach(response::withData);
        return response.build();
    }
}
