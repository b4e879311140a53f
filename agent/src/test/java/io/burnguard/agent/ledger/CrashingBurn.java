package io.burnguard.agent.ledger;

import io.burnguard.agent.db.Database;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A stand-in daemon for {@link CrashRecoveryIT}: records a burn as STARTED, says so on stdout, then
 * waits for the SIGKILL that ends it mid-burn.
 */
public final class CrashingBurn {
  private CrashingBurn() {}

  public static void main(String[] args) throws Exception {
    Database db = Database.open(Path.of(args[0]));
    LedgerService s = LedgerService.open(db, Clock.systemUTC());
    s.openOrder(LedgerFixture.order("WO-1", 10), "eve");
    BurnRecord r = s.startBurn(LedgerFixture.request("SN000001", null, "fx1", null));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println("STARTED " + r.id());
    System.in.read(); // the driver would be writing the device now
  }
}
