package io.misalignstream.inference.guard;

import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.resilience.EndpointGuard;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * An inference port behind an {@link EndpointGuard}: the one way an LLM caller guards its endpoint. The guarded port's
 * calls to the backend go through the guard; what describes the port ({@code parallelism()}, {@code model()},
 * {@code close()}, {@code toString()}) goes straight to it. A call throws what the port throws, and a transient failure
 * (the endpoint's own after the retries, or an open circuit) when the endpoint cannot answer now.
 */
public final class Guarded {

    private static final Set<String> UNGUARDED = Set.of("parallelism", "model", "close", "toString", "hashCode", "equals");

    private Guarded() {
    }

    /**
     * @param port    the port's interface, e.g. {@code PromptClassifier.class}
     * @param backend the adapter to guard
     */
    public static <T> T port(Class<T> port, T backend, EndpointGuard guard) {
        if (!port.isInterface()) {
            throw new IllegalArgumentException(port + ": a port is an interface");
        }
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, arguments) -> UNGUARDED.contains(method.getName())
                        ? invoke(backend, method, arguments)
                        : call(guard, backend, method, arguments)));
    }

    private static Object call(EndpointGuard guard, Object backend, Method method, Object[] arguments) throws Throwable {
        try {
            return guard.call(() -> {
                try {
                    return invoke(backend, method, arguments);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (InterruptedException e) {
            // The ports declare no checked exception: the interrupt stays on the thread, and the call reports
            // "cannot answer now", which the caller's batch handles as any unavailable endpoint.
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while waiting to retry", e);
        }
    }

    private static Object invoke(Object backend, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(backend, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
