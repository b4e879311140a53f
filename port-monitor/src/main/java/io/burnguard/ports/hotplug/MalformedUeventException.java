package io.burnguard.ports.hotplug;

/** A netlink message that is not a well-formed kernel uevent; the message says why. */
public final class MalformedUeventException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedUeventException(String message) {
    super(message);
  }
}
