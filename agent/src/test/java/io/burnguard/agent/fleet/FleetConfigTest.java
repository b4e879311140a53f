package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented fleet section, and the lag read from the station database. */
class FleetConfigTest {
  static final Path EXAMPLE = Path.of("../station-config/examples/station.yaml");

  @TempDir Path tmp;

  @Test
  void theDocumentedFleetSectionLoadsWhenUncommentedAndIsOptional() throws Exception {
    String text = Files.readString(EXAMPLE);
    assertNull(StationConfigLoader.parse("station.yaml", text).fleet(), "commented out: absent");
    int at = text.indexOf("# fleet:");
    assertTrue(at > 0, "the example documents the fleet section");
    String enabled = text.substring(0, at) + text.substring(at).replaceAll("(?m)^# ?", "");
    StationConfig.Fleet f = StationConfigLoader.parse("station.yaml", enabled).fleet();
    assertEquals("station_line1_01", f.role());
    assertEquals(500, f.batchSize());
    assertEquals(Duration.ofSeconds(30), f.interval());
    assertEquals(Duration.ofHours(1), f.maxLag());
    assertEquals(Path.of("/etc/burnguard/fleet-ca.pem"), f.serverCa());
  }

  @Test
  void lagCountsUnshippedEntriesAndTheAgeOfTheOldest() throws Exception {
    Instant t0 = Instant.parse("2026-11-30T08:00:00Z");
    try (Database db = Database.open(tmp.resolve("burnguard.db"))) {
      LedgerService ledger = LedgerService.open(db, Clock.fixed(t0, ZoneOffset.UTC));
      ledger.alerts().raise(io.burnguard.agent.alerts.Severity.INFO, "t", "one");
      ledger.alerts().raise(io.burnguard.agent.alerts.Severity.INFO, "t", "two");
      long n = ledger.head().sequence();
      Clock later = Clock.fixed(t0.plusSeconds(7200), ZoneOffset.UTC);
      FleetLag lag = FleetLag.of(db, later);
      assertEquals(new FleetLag(0, n, Duration.ofHours(2)), lag, "no state table yet");
      assertTrue(lag.exceeds(Duration.ofHours(1)));
      db.write(Outbox::createState);
      var first = db.read(c -> Outbox.batch(c, 0, 1)).get(0);
      db.write(c -> Outbox.markShipped(c, first, t0));
      assertEquals(n - 1, FleetLag.of(db, later).unshipped());
      var all = db.read(c -> Outbox.batch(c, 0, 100));
      db.write(c -> Outbox.markShipped(c, all.get(all.size() - 1), t0));
      FleetLag none = FleetLag.of(db, later);
      assertEquals(new FleetLag(n, 0, Duration.ZERO), none);
      assertTrue(!none.exceeds(Duration.ofSeconds(1)));
    }
  }
}
