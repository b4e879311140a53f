package io.burnguard.drivers.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * jSerialComm behind {@link SerialLink}. jSerialComm takes any path, so ptys work as well as USB
 * adapters. Raw 8N1, no flow control: boot loaders do not speak RTS/CTS or XON/XOFF, and XON/XOFF
 * would eat 0x11/0x13 bytes inside YMODEM blocks.
 */
final class JSerialCommLink implements SerialLink {
  /** A write of one YMODEM block at 9600 baud takes ~1.1 s; leave room for slow adapters. */
  private static final int WRITE_TIMEOUT_MS = 10_000;

  private final SerialPort port;
  private final String path;
  private int readTimeout = -1;

  private JSerialCommLink(SerialPort port, String path) {
    this.port = port;
    this.path = path;
  }

  static SerialLink open(String path, int baud) throws IOException {
    if (!Files.exists(Path.of(path))) {
      throw new IOException(
          "serial port " + path + " does not exist; check the cable and the fixture's port path");
    }
    SerialPort p = SerialPort.getCommPort(path);
    p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
    if (!p.openPort(0)) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "cannot open serial port %s (error %d); is another program using it?",
              path,
              p.getLastErrorCode()));
    }
    return new JSerialCommLink(p, path);
  }

  @Override
  public String name() {
    return path;
  }

  @Override
  public synchronized int read(byte[] buf, int off, int len, int timeoutMillis) throws IOException {
    if (!port.isOpen()) {
      throw new IOException("serial port " + path + " is closed");
    }
    int t = Math.max(timeoutMillis, 1);
    if (t != readTimeout) {
      port.setComPortTimeouts(
          SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
          t,
          WRITE_TIMEOUT_MS);
      readTimeout = t;
    }
    int n = port.readBytes(buf, len, off);
    if (n < 0) {
      throw new IOException(
          "serial port " + path + " disappeared (read error " + port.getLastErrorCode() + ")");
    }
    return n;
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = port.writeBytes(buf, len - done, off + done);
      if (n <= 0) {
        throw new IOException(
            "serial port "
                + path
                + " stopped accepting data (error "
                + port.getLastErrorCode()
                + "); it may have been unplugged");
      }
      done += n;
    }
  }

  @Override
  public void close() {
    port.closePort();
  }
}
