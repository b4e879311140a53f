package io.burnguard.ports.usb;

/** The binary {@code descriptors} attribute of a device is not a valid USB descriptor list. */
final class DescriptorException extends Exception {
  private static final long serialVersionUID = 1L;

  DescriptorException(String message) {
    super(message);
  }
}
