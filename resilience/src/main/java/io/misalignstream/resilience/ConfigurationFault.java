package io.misalignstream.resilience;

/**
 * Marks a failure whose fix is a setting of ours, not time: an endpoint refused the API key (401, 403), does not know
 * the model or path (404), or its host does not resolve. The work waits, as for an outage, since it goes through once
 * the setting is fixed; but an operator must act, so the endpoint's guard reports it (readiness DOWN with the reason,
 * {@code <prefix>.misconfigured}) and does not retry the call.
 */
public interface ConfigurationFault {
}
