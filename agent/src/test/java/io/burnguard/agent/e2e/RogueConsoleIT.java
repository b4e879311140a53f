package io.burnguard.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.drivers.testing.PtyPair;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, finding 3, through the real daemon and CLI: the unit on fixture fx1 is a rogue console
 * (a pty driven by this test, under the real uboot-serial driver) that answers every poke with
 * {@code ESC[2J ESC[H ESC[32mPASS all units verified OK ESC]0;owned BEL} and never shows a prompt.
 * The burn fails (exit 4), and neither the operator's screen, the ledger's failure reason, {@code
 * trace} nor agent.log receives an escape or BEL; each shows the sequence escaped.
 */
class RogueConsoleIT {
  static final String ROGUE =
      "\u001b[2J\u001b[H\u001b[32mPASS all units verified OK\u001b]0;owned\u0007\r\n";
  static final String ESCAPED = "\\x1B[32mPASS all units verified OK\\x1B]0;owned\\x07";
  static final String ROLES = "  root: engineer\n  nogroup: operator\n";

  @TempDir Path tmp;

  @Test
  void aRogueConsoleCannotPaintTheScreenTheLedgerOrTheLog() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    AtomicBoolean running = new AtomicBoolean(true);
    try (ClamdFixture clamd = ClamdFixture.builder().start();
        ReleaseKit kit = new ReleaseKit(tmp.resolve("kit"));
        PtyPair pty = PtyPair.open(tmp, "rogue")) {
      Thread console = rogueConsole(Path.of(pty.a()), running);
      Files.createDirectories(tmp.resolve("station"));
      String fixtures =
          "fixtures:\n  - id: fx1\n    driver: uboot-serial\n    port: "
              + pty.b()
              + "\n    model: IPC-X1\n    settings:\n      boot_timeout_s: \"3\"\n      readaddr: \"0x48000000\"\n"
              + E2EStation.models();
      try (DaemonHarness h =
          new DaemonHarness(
              tmp.resolve("station"), clamd.unixAddress().toString(), ROLES, "nogroup", fixtures)) {
        h.serverAndTrust(kit.stationYaml(2));
        h.writeConfig(ROLES, "nogroup", fixtures);
        h.start();
        kit.publish("rogue-fw", "1.0.0", List.of("IPC-X1"), E2EStation.image(64 * 1024, 7));
        assertEquals(0, h.cli("firmware", "fetch", "rogue-fw", "1.0.0").exit());
        assertEquals(
            0,
            h.cli(
                    "order",
                    "open",
                    "WO-ROGUE",
                    "--model",
                    "IPC-X1",
                    "--firmware",
                    "rogue-fw",
                    "--version",
                    "1.0.0",
                    "--quantity",
                    "5")
                .exit());
        String unit = E2EStation.barcode(4242);

        DaemonHarness.Run burn = h.cliAs("nobody", "burn", "--fixture", "fx1", "--barcode", unit);
        assertEquals(4, burn.exit(), burn.toString());
        assertClean("burn output", burn.out() + burn.err());
        assertTrue((burn.out() + burn.err()).contains(ESCAPED), burn.toString());
        assertTrue(burn.out().contains("FAIL"), burn.toString());

        DaemonHarness.Run trace = h.cliAs("nobody", "trace", unit);
        assertEquals(0, trace.exit(), trace.toString());
        assertClean("trace", trace.out());
        assertTrue(trace.out().contains(ESCAPED), trace.toString());

        String reason = ledgerReason(h.dataDir().resolve("burnguard.db"), unit);
        assertClean("ledger failure_reason", reason);
        assertTrue(reason.contains(ESCAPED), reason);
        String traced =
            Wire.mapper().readTree(h.cliAs("nobody", "trace", unit, "--json").out()).toString();
        assertTrue(traced.contains("PASS all units verified OK"), traced);

        String log = Files.readString(h.dataDir().resolve("log/agent.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("PASS all units verified OK"), "the failure was not logged");
        assertClean("agent.log", log.replace("\n", ""));
      } finally {
        running.set(false);
        console.join(5000);
      }
    }
  }

  /** Writes the rogue banner every 200 ms to the pty's other end, never a prompt. */
  private static Thread rogueConsole(Path end, AtomicBoolean running) {
    Thread t =
        new Thread(
            () -> {
              try (OutputStream out = new FileOutputStream(end.toFile())) {
                while (running.get()) {
                  out.write(ROGUE.getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                  Thread.sleep(200);
                }
              } catch (IOException | InterruptedException e) {
                // the pty went away with the test
              }
            },
            "rogue-console");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String ledgerReason(Path db, String unit) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT failure_reason FROM burns WHERE barcode = '" + unit + "'")) {
      assertTrue(rs.next(), "no burn row for " + unit);
      return rs.getString(1);
    }
  }

  private static void assertClean(String where, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
      assertTrue(
          !control,
          where
              + " holds U+"
              + Integer.toHexString(c)
              + " at "
              + i
              + ": "
              + s.replace('\u001b', '^'));
    }
  }
}
