package io.burnguard.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.cli.AuditVerifyCommand;
import io.burnguard.agent.db.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 6: a daemon killed with SIGKILL during a burn restarts with the record INTERRUPTED and
 * audit verify intact.
 */
class CrashRecoveryIT {
  @TempDir Path dir;

  @Test
  void sigkillDuringABurnLeavesItInterruptedAndTheChainIntact() throws Exception {
    Path dbFile = dir.resolve("burnguard.db");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingBurn.class.getName(),
                dbFile.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long id;
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = r.readLine(); // blocks until the child reports; the child exits on failure
      } while (line != null && !line.startsWith("STARTED "));
      assertTrue(line != null, "the stand-in daemon exited before starting the burn");
      id = Long.parseLong(line.substring(8).strip());
    } finally {
      p.destroyForcibly(); // SIGKILL on Linux
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the stand-in daemon did not die");
    }
    assertEquals(137, p.exitValue(), "expected death by SIGKILL");

    try (Database db = Database.open(dbFile)) {
      LedgerService s = LedgerService.open(db, Clock.systemUTC());
      assertEquals(Outcome.STARTED, s.trace("SN000001").get(0).outcome());
      List<BurnRecord> changed = s.recoverInterrupted();
      assertEquals(1, changed.size());
      BurnRecord rec = s.trace("SN000001").get(0);
      assertEquals(id, rec.id());
      assertEquals(Outcome.INTERRUPTED, rec.outcome());
      assertTrue(rec.failureReason().contains("restarted"), rec.failureReason());
    }
    CommandLine cmd = new CommandLine(new AuditVerifyCommand());
    java.io.StringWriter out = new java.io.StringWriter();
    cmd.setOut(new java.io.PrintWriter(out));
    assertEquals(0, cmd.execute("--db", dbFile.toString(), "--all-signatures"), out.toString());
    // ledger.snapshot marker (issue 11, empty at first start), order.opened, burn.started,
    // burn.interrupted
    assertTrue(out.toString().contains("intact: 4 entries"), out.toString());
  }
}
