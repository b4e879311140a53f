package io.burnguard.drivers.ymodem;

import io.burnguard.drivers.serial.SerialLink;
import io.burnguard.drivers.serial.SerialLinkFactory;
import java.io.IOException;

/** Copies bytes between two ptys; each direction passes through its own mangler. */
final class Relay implements AutoCloseable {
  /** Returns how many of buf[0..n) to forward (may modify them); total counts bytes so far. */
  interface Mangler {
    int apply(byte[] buf, int n, long total);
  }

  /** Forwards everything unchanged. */
  static final Mangler PASS = (buf, n, total) -> n;

  private final SerialLink a;
  private final SerialLink b;
  private final Thread t1;
  private final Thread t2;
  private volatile boolean stop;

  private Relay(SerialLink a, SerialLink b, Mangler forward, Mangler back) {
    this.a = a;
    this.b = b;
    t1 = new Thread(() -> pump(a, b, forward), "relay-fwd");
    t2 = new Thread(() -> pump(b, a, back), "relay-back");
  }

  /**
   * Relays {@code from} (the sender's side) to {@code to} (the receiver's) through {@code forward},
   * and the receiver's answers back through {@code back}.
   */
  static Relay start(String from, String to, Mangler forward, Mangler back) throws IOException {
    SerialLinkFactory f = SerialLinkFactory.jSerialComm();
    Relay r = new Relay(f.open(from, 115200), f.open(to, 115200), forward, back);
    r.t1.start();
    r.t2.start();
    return r;
  }

  private void pump(SerialLink in, SerialLink out, Mangler m) {
    byte[] buf = new byte[1024];
    long total = 0;
    try {
      while (!stop) {
        int n = in.read(buf, 0, buf.length, 100);
        if (n > 0) {
          total += n;
          int k = m.apply(buf, n, total);
          if (k > 0) {
            out.write(buf, 0, k);
          }
        }
      }
    } catch (IOException e) {
      // a side closed: the relay ends
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    t1.join(2000);
    t2.join(2000);
    a.close();
    b.close();
  }
}
