package io.misalignstream.resilience;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints a service cannot work without, by guard name: readiness is DOWN while any of them refuses the service's
 * configuration ({@link EndpointFaultsHealthCheck}). A guard joins with {@link EndpointGuard.Builder#requiredBy}.
 */
@ApplicationScoped
public class EndpointFaults {

    private final Map<String, EndpointGuard> guards = new ConcurrentHashMap<>();

    void require(String name, EndpointGuard guard) {
        guards.put(name, guard);
    }

    /** Each required endpoint that refuses the configuration now, with the reason. */
    public Map<String, String> current() {
        Map<String, String> faults = new TreeMap<>();
        guards.forEach((name, guard) -> guard.configurationFault().ifPresent(reason -> faults.put(name, reason)));
        return faults;
    }
}
