package io.burnguard.drivers.uboot;

import io.burnguard.drivers.serial.SerialLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory U-Boot console: garbage and a countdown at power-up, then a prompt that answers
 * commands through a responder. Commands the responder does not know print "Unknown command".
 */
final class FakeUBoot implements SerialLink {
  /** What a command prints and its exit status. */
  record Reply(String output, int status) {}

  private static final Pattern MARK = Pattern.compile("^(.*); echo (@bg\\d+@)\\$\\?$");
  private final StringBuilder out = new StringBuilder();
  private final StringBuilder line = new StringBuilder();
  private final Function<String, Reply> responder;
  final List<String> commands = new ArrayList<>();
  private boolean atPrompt;
  volatile boolean silent;
  volatile boolean gone;

  FakeUBoot(String powerUp, Function<String, Reply> responder) {
    this.responder = responder;
    out.append(powerUp);
  }

  @Override
  public String name() {
    return "/dev/fake";
  }

  @Override
  public synchronized int read(byte[] buf, int off, int len, int timeoutMillis) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (out.length() == 0 || silent) {
      if (gone) {
        throw new IOException("serial port /dev/fake disappeared");
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return 0;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    int n = Math.min(len, out.length());
    byte[] b = out.substring(0, n).getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(b, 0, buf, off, n);
    out.delete(0, n);
    return n;
  }

  @Override
  public synchronized void write(byte[] buf, int off, int len) throws IOException {
    if (gone) {
      throw new IOException("serial port /dev/fake disappeared");
    }
    for (int i = off; i < off + len; i++) {
      char c = (char) (buf[i] & 0xFF);
      if (silent) {
        continue;
      }
      if (c == 3) {
        atPrompt = true;
        line.setLength(0);
        out.append("<INTERRUPT>\r\n=> ");
      } else if (c == '\n') {
        handle(line.toString());
        line.setLength(0);
      } else if (atPrompt) {
        line.append(c);
        out.append(c);
      }
    }
    notifyAll();
  }

  private void handle(String l) {
    out.append("\r\n");
    Matcher m = MARK.matcher(l);
    String cmd = m.matches() ? m.group(1) : l;
    commands.add(cmd);
    Reply r;
    if (cmd.startsWith("echo ")) {
      r = new Reply(cmd.substring(5) + "\n", 0);
    } else {
      r = responder.apply(cmd);
      if (r == null) {
        r = new Reply("Unknown command '" + cmd.split(" ")[0] + "' - try 'help'\n", 1);
      }
    }
    out.append(r.output().replace("\n", "\r\n"));
    if (m.matches()) {
      out.append(m.group(2)).append(r.status()).append("\r\n");
    }
    out.append("=> ");
  }

  synchronized void unplug() {
    gone = true;
    notifyAll();
  }

  @Override
  public void close() {}
}
