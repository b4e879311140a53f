package io.burnguard.drivers.uboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.drivers.BurnOutcome;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.DriverEnvironment;
import io.burnguard.drivers.Phase;
import io.burnguard.drivers.serial.SerialLink;
import io.burnguard.drivers.testing.BoardRecipes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 3: a device under test answers with terminal control sequences to repaint the
 * operator's screen. Whatever the console printed must reach the burn's reason escaped.
 */
class RogueConsoleTest {
  /** Clear screen, home, green "PASS", an OSC window title ended by BEL. */
  static final String ROGUE =
      "\u001b[2J\u001b[H\u001b[32mPASS all units verified OK\u001b]0;owned\u0007";

  @Test
  void aRogueBootBannerReachesTheReasonEscaped() throws Exception {
    SerialLink rogue = new RogueLink(ROGUE + "\r\n");
    BurnOutcome out =
        UBootDrivers.serial(DriverEnvironment.system().withSerial((path, baud) -> rogue))
            .burn(
                io.burnguard.drivers.BurnJob.of(
                    "img.bin",
                    () -> new java.io.ByteArrayInputStream(BoardRecipes.randomImage(4096, 1)),
                    Map.of("port", "/dev/rogue", "boot_timeout_s", "1"),
                    BoardRecipes.VIRTIO_WRITE,
                    BoardRecipes.VIRTIO_READBACK,
                    Map.of("readaddr", "0x48000000")),
                p -> {},
                CancellationToken.create());
    assertFalse(out.isPassed());
    assertEquals(Phase.PROMPT, out.phase());
    assertNoControls(out.reason());
    assertTrue(
        out.reason().contains("\\x1B[32mPASS all units verified OK\\x1B]0;owned\\x07"),
        out.reason());
  }

  @Test
  void anErrorReplyIsEscapedInTheMessageAndTheDeviceLines() throws Exception {
    FakeUBoot dev =
        new FakeUBoot(
            "", c -> c.startsWith("sf") ? new FakeUBoot.Reply(ROGUE + " error\n", 0) : null);
    UBootConsole con =
        new UBootConsole(
            dev,
            java.time.Clock.systemUTC(),
            "=> ",
            "(?s)\u001b.*error",
            CancellationToken.create());
    con.reachPrompt(Duration.ofSeconds(5), "\u0003");
    ConsoleException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConsoleException.class, () -> con.run("sf probe", Duration.ofSeconds(2)));
    BurnFailure f = BurnFailure.of(Phase.WRITE, e, "check the flash");
    assertNoControls(f.getMessage());
    assertTrue(f.getMessage().contains("Device said: \\x1B[2J"), f.getMessage());
  }

  @Test
  void aForgedEscapeStaysDistinguishable() {
    String said = BurnFailure.lastLines("looks like \\x1B but is text\r\nreal \u001b", 4);
    assertEquals("looks like \\\\x1B but is text | real \\x1B", said);
  }

  static void assertNoControls(String s) {
    for (char c : s.toCharArray()) {
      assertTrue(c >= 0x20 && c != 0x7f, "control U+" + Integer.toHexString(c) + " in: " + s);
    }
  }

  /** Prints its banner once, then nothing; ignores what is sent. */
  private static final class RogueLink implements SerialLink {
    private byte[] pending;

    RogueLink(String banner) {
      pending = banner.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String name() {
      return "/dev/rogue";
    }

    @Override
    public synchronized int read(byte[] buf, int off, int len, int timeoutMillis)
        throws IOException {
      if (pending.length == 0) {
        try {
          Thread.sleep(Math.min(timeoutMillis, 20));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 0;
      }
      int n = Math.min(len, pending.length);
      System.arraycopy(pending, 0, buf, off, n);
      pending = java.util.Arrays.copyOfRange(pending, n, pending.length);
      return n;
    }

    @Override
    public void write(byte[] buf, int off, int len) {}

    @Override
    public void close() {}
  }
}
