package io.burnguard.drivers.serial;

import java.io.Closeable;
import java.io.IOException;

/**
 * A byte pipe to a device's console. Small on purpose so that unit tests can replace the port with
 * an in-memory fake and so that protocols (console, YMODEM) never see the serial library.
 */
public interface SerialLink extends Closeable {
  /** The port's path, for messages. */
  String name();

  /**
   * Reads what is available, waiting at most {@code timeoutMillis} for the first byte.
   *
   * @return bytes read, 0 on timeout
   * @throws IOException when the port is gone (unplugged, the pty's other side closed)
   */
  int read(byte[] buf, int off, int len, int timeoutMillis) throws IOException;

  /**
   * Writes all bytes, or throws.
   *
   * @throws IOException when the port is gone or the write does not finish within its deadline
   */
  void write(byte[] buf, int off, int len) throws IOException;

  default void write(byte[] buf) throws IOException {
    write(buf, 0, buf.length);
  }

  /** Discards everything already received and not yet read. */
  default void discardInput() throws IOException {
    byte[] b = new byte[512];
    while (read(b, 0, b.length, 0) > 0) {
      // drop
    }
  }

  @Override
  void close();
}
