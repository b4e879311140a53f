package io.burnguard.agent.control;

/**
 * Serves one call of an {@link io.burnguard.agent.contract.Operation}. An expected refusal or
 * failure is an {@link OperationException}; anything else thrown is an internal error, logged and
 * answered with exit 1.
 */
@FunctionalInterface
public interface Handler {
  Result handle(Call call) throws OperationException;
}
