package io.burnguard.agent.control;

import io.burnguard.agent.contract.Operation;

/** Told about each refused request, so it lands in the station's records. */
@FunctionalInterface
public interface DenialRecorder {
  /** {@code caller} asked for {@code op} without holding any of {@code op.roles()}. */
  void denied(Caller caller, Operation op);
}
