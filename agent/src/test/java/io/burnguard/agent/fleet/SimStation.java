package io.burnguard.agent.fleet;

import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A real station ledger (SQLite, audit chain, station key) in a directory, and its shipper. */
final class SimStation implements AutoCloseable {
  static final String SHA = "ab".repeat(32);

  final String id;
  final String role;
  final Path dir;
  Database db;
  private final java.util.Set<String> orders = new java.util.HashSet<>();
  LedgerService ledger;

  SimStation(String id, String role, Path dir) throws Exception {
    this.id = id;
    this.role = role;
    this.dir = dir;
    open();
  }

  void open() throws Exception {
    db = Database.open(dir.resolve("burnguard.db"));
    ledger = LedgerService.open(db, Clock.systemUTC());
    db.write(Outbox::createState);
  }

  /** Registers the station centrally (role, key) and makes its client certificate. */
  void register(PrivatePostgres pg) throws Exception {
    pg.makeClient(role);
    try (var c = pg.admin()) {
      FleetSchema.addStation(c, id, role, ledger.chain().publicKey());
    }
  }

  /** One burn from start to PASSED (two chain entries). */
  BurnRecord burn(String barcode, String firmware, String version) throws Exception {
    String model = "m-" + firmware + "-" + version;
    String order = "WO-" + firmware + "-" + version;
    if (orders.add(order)) {
      ledger.openOrder(
          new OrderSpec(
              order,
              model,
              firmware,
              version,
              10_000_000,
              new BarcodeRule("SN-[A-Z0-9-]+", CheckDigit.NONE),
              DuplicatePolicy.REWORK_WITH_REASON),
          "engineer1");
    }
    BurnRecord r =
        ledger.startBurn(
            new BurnRequest(
                barcode,
                model,
                order,
                "fx1",
                "/dev/ttyUSB0",
                "uboot",
                firmware,
                version,
                SHA,
                List.of("release-1"),
                "OK",
                "27000",
                "op1",
                id,
                null));
    return ledger.finishBurn(r.id(), BurnResult.passed(SHA));
  }

  void alert(String message) throws Exception {
    ledger.alerts().raise(Severity.INFO, "test", message);
  }

  FleetShipper shipper(PrivatePostgres pg, int batch, Duration interval) {
    return new FleetShipper(
        db,
        ledger.chain(),
        id,
        pg.as(role),
        batch,
        interval,
        Duration.ofHours(1),
        ledger.alerts(),
        Clock.systemUTC());
  }

  long chainLength() throws Exception {
    return ledger.head().sequence();
  }

  @Override
  public void close() {
    db.close();
  }
}
