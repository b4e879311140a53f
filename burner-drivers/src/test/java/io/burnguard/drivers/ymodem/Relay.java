package io.burnguard.drivers.ymodem;

import io.burnguard.drivers.serial.SerialLink;
import io.burnguard.drivers.serial.SerialLinkFactory;
import java.io.IOException;

/** Copies bytes between two ptys; the sender-to-receiver direction passes through a mangler. */
final class Relay implements AutoCloseable {
  /** Returns how many of buf[0..n) to forward (may modify them); total counts bytes so far. */
  interface Mangler {
    int apply(byte[] buf, int n, long total);
  }

  private final SerialLink a;
  private final SerialLink b;
  private final Thread t1;
  private final Thread t2;
  private volatile boolean stop;

  private Relay(SerialLink a, SerialLink b, Mangler m) {
    this.a = a;
    this.b = b;
    t1 = new Thread(() -> pump(a, b, m), "relay-fwd");
    t2 = new Thread(() -> pump(b, a, (buf, n, total) -> n), "relay-back");
  }

  static Relay start(String from, String to, Mangler m) throws IOException {
    SerialLinkFactory f = SerialLinkFactory.jSerialComm();
    Relay r = new Relay(f.open(from, 115200), f.open(to, 115200), m);
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
