package io.burnguard.agent.control;

/**
 * Told about refused requests, so they land in the station's records. Repeats are coalesced before
 * they reach the recorder ({@link RefusalCoalescer}): the first refusal of a kind by a user comes
 * at once with count 1, further ones as one {@link Denial} per window with their exact count and
 * time range, so a flood costs a few entries a minute, not one per request.
 */
@FunctionalInterface
public interface DenialRecorder {
  /** Records {@code denial}; must not throw (a failed write is the recorder's to log). */
  void denied(Denial denial);
}
