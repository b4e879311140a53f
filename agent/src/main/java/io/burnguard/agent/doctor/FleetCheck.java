package io.burnguard.agent.doctor;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.fleet.FleetLag;
import io.burnguard.config.StationConfig;
import java.time.Clock;

/** The doctor line of the fleet ledger (issue 16): shipping lag against the configured maxLag. */
final class FleetCheck {
  static final String CHECK = "fleet shipping";

  private FleetCheck() {}

  /** The doctor line: OK without a fleet section or within maxLag, WARN past it. */
  static Check lag(StationConfig.Fleet fleet, Database db, Clock clock) {
    if (fleet == null) {
      return Check.ok(CHECK, "no fleet section: this station works alone");
    }
    FleetLag lag;
    try {
      lag = FleetLag.of(db, clock);
    } catch (DatabaseException e) {
      return Check.fail(
          CHECK,
          "cannot read the shipping state: " + e.getMessage(),
          "check the station database",
          ExitCode.UNAVAILABLE);
    }
    String detail =
        lag.unshipped()
            + " entr"
            + (lag.unshipped() == 1 ? "y" : "ies")
            + " unshipped (oldest "
            + lag.oldestAge().toSeconds()
            + "s), shipped up to "
            + lag.shippedSeq()
            + " to "
            + fleet.jdbcUrl();
    if (lag.exceeds(fleet.maxLag())) {
      return Check.warn(
          CHECK,
          detail + "; more than maxLag " + fleet.maxLag().toSeconds() + "s behind",
          "check the daemon log for fleet errors, the network to the ledger server and that the"
              + " station is not flagged (burnguard fleet status)");
    }
    return Check.ok(CHECK, detail);
  }
}
