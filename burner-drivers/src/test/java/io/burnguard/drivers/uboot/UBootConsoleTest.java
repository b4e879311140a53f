package io.burnguard.drivers.uboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.drivers.CancellationToken;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UBootConsoleTest {
  private static final String BOOT =
      "\u0000\u00ff\u00fe#@!garbage=> noise\r\n\r\nU-Boot 2023.01\r\nDRAM: 256 MiB\r\n"
          + "Hit any key to stop autoboot:  2 ";

  private static UBootConsole console(FakeUBoot dev) {
    return new UBootConsole(
        dev,
        Clock.systemUTC(),
        "=> ",
        UBootConsole.DEFAULT_ERROR_PATTERN,
        CancellationToken.create());
  }

  @Test
  void stopsAutobootThroughGarbageAndRunsCommands() throws Exception {
    FakeUBoot dev =
        new FakeUBoot(
            BOOT, c -> c.equals("version") ? new FakeUBoot.Reply("U-Boot 2023.01\n", 0) : null);
    UBootConsole con = console(dev);
    con.reachPrompt(Duration.ofSeconds(5), "\u0003");
    assertEquals("U-Boot 2023.01\r\n", con.run("version", Duration.ofSeconds(2)));
  }

  @Test
  void silentBoardFailsAtItsDeadline() {
    FakeUBoot dev = new FakeUBoot("", c -> null);
    dev.silent = true;
    long t0 = System.nanoTime();
    ConsoleException e =
        assertThrows(
            ConsoleException.class,
            () -> console(dev).reachPrompt(Duration.ofSeconds(1), "\u0003"));
    assertEquals(ConsoleException.Kind.TIMEOUT, e.kind());
    assertTrue(e.getMessage().contains("no U-Boot prompt"), e.getMessage());
    assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
  }

  @Test
  void nonZeroStatusAndErrorWordsFailTheCommand() throws Exception {
    FakeUBoot dev =
        new FakeUBoot(
            BOOT,
            c -> c.startsWith("sf") ? new FakeUBoot.Reply("SF: Timeout writing page\n", 0) : null);
    UBootConsole con = console(dev);
    con.reachPrompt(Duration.ofSeconds(5), "\u0003");
    ConsoleException unknown =
        assertThrows(ConsoleException.class, () -> con.run("frobnicate", Duration.ofSeconds(2)));
    assertEquals(ConsoleException.Kind.COMMAND_ERROR, unknown.kind());
    assertTrue(unknown.getMessage().contains("exit status 1"), unknown.getMessage());
    ConsoleException printed =
        assertThrows(
            ConsoleException.class, () -> con.run("sf write 1 2 3", Duration.ofSeconds(2)));
    assertTrue(printed.getMessage().contains("Timeout"), printed.getMessage());
  }

  @Test
  void commandThatNeverReturnsTimesOut() throws Exception {
    FakeUBoot dev = new FakeUBoot(BOOT, c -> new FakeUBoot.Reply("", 0));
    UBootConsole con = console(dev);
    con.reachPrompt(Duration.ofSeconds(5), "\u0003");
    dev.silent = true;
    ConsoleException e =
        assertThrows(ConsoleException.class, () -> con.run("sleep 100", Duration.ofMillis(500)));
    assertEquals(ConsoleException.Kind.TIMEOUT, e.kind());
  }

  @Test
  void unpluggedPortIsNamed() throws Exception {
    FakeUBoot dev = new FakeUBoot(BOOT, c -> new FakeUBoot.Reply("", 0));
    UBootConsole con = console(dev);
    con.reachPrompt(Duration.ofSeconds(5), "\u0003");
    dev.unplug();
    ConsoleException e =
        assertThrows(ConsoleException.class, () -> con.run("version", Duration.ofSeconds(2)));
    assertEquals(ConsoleException.Kind.PORT_GONE, e.kind());
  }
}
