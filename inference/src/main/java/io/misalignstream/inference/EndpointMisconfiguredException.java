package io.misalignstream.inference;

import io.misalignstream.resilience.ConfigurationFault;

/**
 * The endpoint refuses the service's configuration: the API key (HTTP 401, 403), the model or path (404), or the host
 * does not resolve. Still a {@link BackendUnavailableException}, as the work waits and goes through once the setting is
 * fixed; as a {@link ConfigurationFault} it is not retried, and the service's readiness names it.
 */
public class EndpointMisconfiguredException extends BackendUnavailableException implements ConfigurationFault {

    public EndpointMisconfiguredException(String message, Throwable cause) {
        super(message, cause);
    }
}
