package io.burnguard.drivers.uboot;

import io.burnguard.config.UntrustedText;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.serial.SerialLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A U-Boot console on a serial link.
 *
 * <p>Design. Everything here waits on a deadline read from the injected clock; no wait is open
 * ended, because a hung station blocks a production line. Bytes are decoded as ISO-8859-1 so any
 * power-up garbage decodes to something and cannot throw.
 *
 * <p>Reaching the prompt: while the board boots we send the stop key whenever it announces the
 * autoboot countdown, and poke with Ctrl-C during silence (Ctrl-C both stops a countdown and makes
 * a waiting prompt reprint itself). A prompt at the end of the output is then confirmed by a sync
 * command with a fresh nonce, so a "=> " inside garbage is not taken for the prompt.
 *
 * <p>Running a command: we append {@code ; echo @bgN@$?} and wait for that marker and the prompt.
 * The marker carries the command's exit status (U-Boot's hush sets {@code $?}); the output between
 * the echoed command and the marker is scanned for U-Boot's error words, because several commands
 * print an error yet return 0.
 */
final class UBootConsole {
  /** Words U-Boot prints on failure; several commands print these and still return 0. */
  public static final String DEFAULT_ERROR_PATTERN =
      "(?i)(error|unknown command|time ?out|timed out|fail|usage:|not erased|abort|bad (crc|magic))";

  private static final byte CTRL_C = 0x03;
  private static final Pattern AUTOBOOT =
      Pattern.compile("(?i)(autoboot|hit any key|stop autoboot)");
  private static final int POKE_MS = 400;

  private final SerialLink link;
  private final Clock clock;
  private final String prompt;
  private final Pattern errors;
  private final CancellationToken cancel;
  private final StringBuilder seen = new StringBuilder();
  private final byte[] buf = new byte[4096];
  private int nonce;

  public UBootConsole(
      SerialLink link, Clock clock, String prompt, String errorPattern, CancellationToken cancel) {
    this.link = link;
    this.clock = clock;
    this.prompt = prompt;
    this.errors = Pattern.compile(errorPattern);
    this.cancel = cancel;
  }

  public SerialLink link() {
    return link;
  }

  /**
   * Stops autoboot and waits for a confirmed prompt.
   *
   * @param stopKeys what to send when the countdown shows (boards with a keyed autoboot differ)
   */
  public void reachPrompt(Duration timeout, String stopKeys) throws ConsoleException {
    long deadline = clock.millis() + timeout.toMillis();
    long lastPoke = 0;
    int autobootSeenAt = -1;
    seen.setLength(0);
    while (clock.millis() < deadline) {
      checkCancelled();
      readSome(100);
      Matcher a = AUTOBOOT.matcher(seen);
      if (a.find(Math.max(autobootSeenAt, 0)) && a.start() > autobootSeenAt) {
        autobootSeenAt = a.start();
        send(stopKeys.getBytes(StandardCharsets.ISO_8859_1));
      }
      if (endsWithPrompt() && sync(deadline)) {
        return;
      }
      long now = clock.millis();
      if (now - lastPoke >= POKE_MS) {
        send(new byte[] {CTRL_C});
        lastPoke = now;
      }
    }
    throw new ConsoleException(
        ConsoleException.Kind.TIMEOUT,
        String.format(
            Locale.ROOT,
            "no U-Boot prompt '%s' on %s within %d s; check that the board is powered, the cable "
                + "is on the console port and the baud rate is right",
            prompt.trim(),
            link.name(),
            timeout.toSeconds()),
        tail(seen, 300));
  }

  private boolean sync(long deadline) throws ConsoleException {
    String mark = "@sync" + (++nonce) + "@";
    seen.setLength(0);
    send(("echo " + mark + "ok\n").getBytes(StandardCharsets.ISO_8859_1));
    long until = Math.min(deadline, clock.millis() + 2000);
    Pattern done = Pattern.compile(Pattern.quote(mark) + "ok\\r?\\n");
    while (clock.millis() < until) {
      readSome(50);
      Matcher m = done.matcher(seen);
      if (m.find() && seen.indexOf(prompt, m.end()) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs one command and returns what it printed (without the echo and the prompt).
   *
   * @throws ConsoleException COMMAND_ERROR if it printed an error or its status was not 0
   */
  public String run(String command, Duration timeout) throws ConsoleException {
    return run(command, timeout, true);
  }

  /** Runs a command; when {@code checkErrors} is false the output is returned whatever it says. */
  public String run(String command, Duration timeout, boolean checkErrors) throws ConsoleException {
    String out = sendAndAwait(command, timeout);
    int nl = out.lastIndexOf('\u0000');
    int status = Integer.parseInt(out.substring(nl + 1));
    String text = out.substring(0, nl);
    if (checkErrors) {
      Matcher err = errors.matcher(text);
      if (status != 0 || err.find()) {
        String why =
            status != 0
                ? "exit status " + status
                : "it printed '" + UntrustedText.neutralize(err.group(), 80) + "'";
        throw new ConsoleException(
            ConsoleException.Kind.COMMAND_ERROR,
            "U-Boot command '" + command + "' failed on " + link.name() + ": " + why,
            text);
      }
    }
    return text;
  }

  /** Sends a line without waiting for the prompt (for {@code loady}, which then talks YMODEM). */
  public void start(String command) throws ConsoleException {
    drainPending();
    send((command + "\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Waits until {@code pattern} appears in what the board prints from now on.
   *
   * @return the text read, up to and including the match
   */
  public String await(Pattern pattern, Duration timeout, String what) throws ConsoleException {
    long deadline = clock.millis() + timeout.toMillis();
    while (clock.millis() < deadline) {
      checkCancelled();
      Matcher m = pattern.matcher(seen);
      if (m.find()) {
        String got = seen.substring(0, m.end());
        seen.delete(0, m.end());
        return got;
      }
      readSome(100);
    }
    throw timeout(what, timeout);
  }

  private String sendAndAwait(String command, Duration timeout) throws ConsoleException {
    if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a console command is one line");
    }
    drainPending();
    String mark = "@bg" + (++nonce) + "@";
    send((command + "; echo " + mark + "$?\n").getBytes(StandardCharsets.ISO_8859_1));
    Pattern done = Pattern.compile(Pattern.quote(mark) + "(\\d+)\\r?\\n");
    long deadline = clock.millis() + timeout.toMillis();
    while (clock.millis() < deadline) {
      checkCancelled();
      readSome(100);
      Matcher m = done.matcher(seen);
      if (m.find() && seen.indexOf(prompt, m.end()) >= 0) {
        int echoEnd = seen.indexOf("\n");
        String text = seen.substring(Math.min(echoEnd + 1, m.start()), m.start());
        return text + '\u0000' + m.group(1);
      }
    }
    throw timeout("'" + command + "'", timeout);
  }

  private ConsoleException timeout(String what, Duration timeout) {
    return new ConsoleException(
        ConsoleException.Kind.TIMEOUT,
        String.format(
            Locale.ROOT,
            "U-Boot did not finish %s on %s within %d s; the board may have hung or reset",
            what,
            link.name(),
            timeout.toSeconds()),
        tail(seen, 300));
  }

  private void drainPending() throws ConsoleException {
    while (readSome(0) > 0) {
      // drop output that belongs to nothing we asked for
    }
    seen.setLength(0);
  }

  private boolean endsWithPrompt() {
    int end = seen.length();
    while (end > 0 && (seen.charAt(end - 1) == '\r' || seen.charAt(end - 1) == '\n')) {
      end--;
    }
    String p = prompt.stripTrailing();
    int i = seen.lastIndexOf(p);
    return i >= 0 && seen.substring(i + p.length(), end).isBlank();
  }

  private int readSome(int timeoutMillis) throws ConsoleException {
    try {
      int n = link.read(buf, 0, buf.length, timeoutMillis);
      if (n > 0) {
        seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        if (seen.length() > 1_000_000) {
          seen.delete(0, seen.length() - 500_000);
        }
      }
      return n;
    } catch (IOException e) {
      throw new ConsoleException(ConsoleException.Kind.PORT_GONE, e.getMessage(), tail(seen, 300));
    }
  }

  private void send(byte[] b) throws ConsoleException {
    try {
      link.write(b);
    } catch (IOException e) {
      throw new ConsoleException(ConsoleException.Kind.PORT_GONE, e.getMessage(), tail(seen, 300));
    }
  }

  private void checkCancelled() throws ConsoleException {
    if (cancel.isCancelled()) {
      throw new ConsoleException(
          ConsoleException.Kind.CANCELLED, "burn cancelled: " + cancel.reason(), "");
    }
  }

  /**
   * The last {@code max} characters the board printed, raw: they travel in {@link
   * ConsoleException#output()} and are neutralised by {@link BurnFailure#lastLines}, the one place
   * device text becomes a message (docs/decisions.md, "Hostile text").
   */
  static String tail(CharSequence s, int max) {
    return s.length() <= max
        ? s.toString()
        : s.subSequence(s.length() - max, s.length()).toString();
  }
}
