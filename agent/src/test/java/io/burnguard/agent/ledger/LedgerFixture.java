package io.burnguard.agent.ledger;

import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.AuditVerification;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import io.burnguard.agent.orders.WorkOrders;
import io.burnguard.agent.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A station's ledger on a temp database with a hand-moved clock. */
final class LedgerFixture implements AutoCloseable {
  static final String SHA = "ab".repeat(32);

  final Path dir;
  final Path dbFile;
  final TestClock clock = new TestClock(Instant.parse("2026-11-21T08:00:00Z"));
  final Database db;
  final StationKey key;
  final AuditChain chain;
  final WorkOrders orders;
  final Ledger ledger;

  LedgerFixture(Path dir) throws Exception {
    this.dir = dir;
    this.dbFile = dir.resolve("burnguard.db");
    this.db = Database.open(dbFile);
    this.key = StationKey.loadOrCreate(dir);
    this.chain = AuditChain.open(db, key, clock);
    this.orders = new WorkOrders(db, chain, clock);
    this.ledger = new Ledger(db, chain, orders, clock);
  }

  static OrderSpec order(String id, long quantity) {
    return new OrderSpec(
        id,
        "IPC-X1",
        "ipc-x1-main",
        "5.4.1",
        quantity,
        new BarcodeRule("SN[0-9]{6}", CheckDigit.NONE),
        DuplicatePolicy.REWORK_WITH_REASON);
  }

  static BurnRequest request(String barcode, String order, String fixture, String rework) {
    return new BurnRequest(
        barcode,
        "IPC-X1",
        order,
        fixture,
        "/dev/ttyUSB" + fixture.charAt(fixture.length() - 1),
        "uboot-serial",
        "ipc-x1-main",
        "5.4.1",
        SHA,
        List.of("CN=Release Signer A", "CN=Release Signer B"),
        "OK",
        "clamav-27100",
        "alice",
        "line3-st07",
        rework);
  }

  AuditVerification verifyAudit() throws Exception {
    return new AuditVerifier(key.publicKey(), true).verifyDatabase(dbFile, List.of());
  }

  @Override
  public void close() {
    db.close();
  }
}
