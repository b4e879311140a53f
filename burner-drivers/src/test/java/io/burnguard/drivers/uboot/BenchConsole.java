package io.burnguard.drivers.uboot;

import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.serial.SerialLink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The driver's own U-Boot console, for the benchmarks in {@code io.burnguard.drivers.bench}: the
 * console is package-private in the module (it is not part of the SPI), so the benchmarks reach it
 * through this test-side door. Console failures become IOExceptions carrying the board's output.
 */
public final class BenchConsole {
  private final UBootConsole console;

  private BenchConsole(UBootConsole console) {
    this.console = console;
  }

  /** Opens the console on {@code link} and reaches a confirmed prompt (Ctrl-C stops autoboot). */
  public static BenchConsole open(SerialLink link, Duration bootTimeout) throws IOException {
    UBootConsole c =
        new UBootConsole(
            link,
            Clock.systemUTC(),
            "=> ",
            UBootConsole.DEFAULT_ERROR_PATTERN,
            CancellationToken.create());
    try {
      c.reachPrompt(bootTimeout, "\u0003");
    } catch (ConsoleException e) {
      throw new IOException(e.getMessage(), e);
    }
    return new BenchConsole(c);
  }

  public SerialLink link() {
    return console.link();
  }

  public String run(String command, Duration timeout) throws IOException {
    try {
      return console.run(command, timeout);
    } catch (ConsoleException e) {
      throw new IOException(e.getMessage() + "; board said: " + e.output(), e);
    }
  }

  public void start(String command) throws IOException {
    try {
      console.start(command);
    } catch (ConsoleException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  public String await(Pattern pattern, Duration timeout, String what) throws IOException {
    try {
      return console.await(pattern, timeout, what);
    } catch (ConsoleException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
