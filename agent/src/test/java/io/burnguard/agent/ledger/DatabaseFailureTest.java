package io.burnguard.agent.ledger;

import static io.burnguard.agent.ledger.LedgerFixture.order;
import static io.burnguard.agent.ledger.LedgerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: a database that cannot be written refuses the burn (DatabaseException, exit 5) and
 * leaves no partial rows: no burn, no audit entry, no head change.
 */
class DatabaseFailureTest {
  @TempDir Path dir;

  private static long count(LedgerFixture f, String table) throws Exception {
    return f.db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static void refusesWithoutPartialRows(LedgerFixture f, String pragma, String hint)
      throws Exception {
    long audit = count(f, "audit_chain");
    String head = Files.readString(f.chain.headFile());
    f.db.write(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(pragma);
          }
          return null;
        });
    // A record larger than a page needs new (overflow) pages, so the write must grow the file.
    BurnRequest big = request("SN000001", null, "fx1", null);
    BurnRequest r =
        new BurnRequest(
            big.barcode(),
            big.model(),
            null,
            big.fixture(),
            big.port(),
            big.driver(),
            big.firmwareName(),
            big.firmwareVersion(),
            big.firmwareSha256(),
            java.util.List.of("CN=" + "x".repeat(20_000)),
            big.scanVerdict(),
            big.clamdDbVersion(),
            big.operator(),
            big.stationId(),
            null);
    DatabaseException e = assertThrows(DatabaseException.class, () -> f.ledger.start(r));
    assertTrue(e.getMessage().contains(hint), e.getMessage());
    assertTrue(e.getMessage().contains(f.dbFile.toString()), e.getMessage());
    assertEquals(0, count(f, "burns"));
    assertEquals(audit, count(f, "audit_chain"));
    assertEquals(head, Files.readString(f.chain.headFile()));
  }

  @Test
  void readOnlyDatabaseRefusesTheBurn() throws Exception {
    // query_only makes SQLite answer SQLITE_READONLY exactly as for a read-only file or mount
    // (the test may run as root, for whom chmod does not make a file read-only).
    try (LedgerFixture f = new LedgerFixture(dir)) {
      f.orders.open(order("WO-1", 5), "eve");
      refusesWithoutPartialRows(f, "PRAGMA query_only = ON", "read-only");
    }
  }

  @Test
  void fullDiskRefusesTheBurn() throws Exception {
    // max_page_count at the current size makes the next page allocation fail with SQLITE_FULL,
    // the same error as a full file system.
    try (LedgerFixture f = new LedgerFixture(dir)) {
      f.orders.open(order("WO-1", 5), "eve");
      long pages =
          f.db.read(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      refusesWithoutPartialRows(
          f, "PRAGMA max_page_count = " + pages, "the disk holding it is full");
    }
  }

  @Test
  void corruptFileIsRefusedAtOpen() throws Exception {
    Path db = dir.resolve("burnguard.db");
    byte[] junk = new byte[8192];
    new java.util.Random(7).nextBytes(junk);
    Files.write(db, junk);
    DatabaseException e = assertThrows(DatabaseException.class, () -> Database.open(db));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }
}
