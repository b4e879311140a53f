package io.burnguard.ports;

/**
 * Receives every port event, in order, on the monitor's thread. The daemon records them in the
 * audit chain and raises alerts; it must not block for long.
 */
@FunctionalInterface
public interface PortEventListener {
  void onEvent(PortEvent event);
}
