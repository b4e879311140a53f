package io.burnguard.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.RowDifference;
import io.burnguard.agent.audit.RowDifference.Change;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11, "Tests that must exist": a real station (real daemon, clamd, QEMU U-Boot board, HTTPS
 * release server) burns real units; then, on copies of its database and through the sqlite3 command
 * line, every table that {@code trace}, {@code units}, {@code alerts}, {@code order list} or the
 * vetting pipeline reads gets a column updated, a row deleted and a row inserted. Each is found and
 * named (table, key, column) by {@code audit verify} offline and by the daemon's own {@code audit
 * verify}; the untouched copy passes; a reset of the anti-rollback state or of the withdrawal
 * sequence blocks the next burn with a CRITICAL alert.
 */
class LedgerIntegrityIT {
  @TempDir static Path tmp;

  static ClamdFixture clamd;
  static ReleaseKit kit;
  static QemuUBootBoard board;
  static DaemonHarness h;
  static Path pristine;

  static final String SETUP_ROLES = "  root: engineer\n  nogroup: operator\n";
  static final String AUDIT_ROLES = "  root: security\n  nogroup: operator\n";
  static final String[] STATION_FILES = {
    "burnguard.db", "burnguard.db.head", StationKey.PUBLIC_FILE, StationKey.PRIVATE_FILE
  };

  /** One tampering: a table, what is done, the key it hits and the column named. */
  record Tamper(String table, Change change, String sql, String keySql, String column) {
    @Override
    public String toString() {
      return table + " " + change;
    }
  }

  static Stream<Tamper> tampers() {
    return Stream.of(
            table("burns", "id", "outcome", "'FAILED'", "9999"),
            table("work_orders", "id", "quantity", "999", "'WO-FORGED'"),
            table("alerts", "id", "ack_note", "'nothing to see'", "9999"),
            table("admin_events", "id", "detail", "'forged'", "9999"),
            table("scan_verdicts", "id", "clamd_version", "'forged'", "9999"),
            table("vetting_highest_version", "name", "version", "'0.0.1'", "'forged-name'"),
            table("vetting_withdrawal_state", "id", "sequence", "0", null),
            table("vetting_withdrawals_doc", "id", "sequence", "0", null),
            table("vetting_release", "name || '/' || version", "signers", "'[]'", "'9.9.9'"),
            Stream.of(
                new Tamper(
                    "key_parts",
                    Change.INSERTED,
                    "INSERT INTO key_parts(id, kind, capacity_bytes, removable, supplier, lot,"
                        + " received, state, registered_at, updated_at) VALUES ('KP-FORGED',"
                        + " 'IMAGE_FILE', 1048576, 0, 'Acme', 'L1', '2026-11-21', 'SANITIZED',"
                        + " '2026-11-21T08:00:00.000Z', '2026-11-21T08:00:00.000Z');",
                    "SELECT 'KP-FORGED';",
                    null)))
        .flatMap(s -> s);
  }

  /**
   * Update the first row's {@code column}, delete the last row, insert a copy of the first row
   * under {@code newKey} (singleton tables, CHECK (id = 1), cannot take a second row).
   */
  static Stream<Tamper> table(
      String t, String keyExpr, String column, String value, String newKey) {
    String first = " WHERE rowid = (SELECT min(rowid) FROM " + t + ")";
    String last = " WHERE rowid = (SELECT max(rowid) FROM " + t + ")";
    Tamper update =
        new Tamper(
            t,
            Change.EDITED,
            "UPDATE " + t + " SET " + column + " = " + value + first + ";",
            "SELECT " + keyExpr + " FROM " + t + first + ";",
            column);
    Tamper delete =
        new Tamper(
            t,
            Change.DELETED,
            "DELETE FROM " + t + last + ";",
            "SELECT " + keyExpr + " FROM " + t + last + ";",
            null);
    if (newKey == null) {
      return Stream.of(update, delete);
    }
    String keyCol = t.equals("vetting_release") ? "version" : keyExpr;
    Tamper insert =
        new Tamper(
            t,
            Change.INSERTED,
            "CREATE TEMP TABLE x AS SELECT * FROM "
                + t
                + first
                + "; UPDATE x SET "
                + keyCol
                + " = "
                + newKey
                + "; INSERT INTO "
                + t
                + " SELECT * FROM x;",
            "SELECT " + keyExpr.replace(keyCol, newKey) + " FROM " + t + first + ";",
            null);
    return Stream.of(update, delete, insert);
  }

  @BeforeAll
  static void station() throws Exception {
    Files.setPosixFilePermissions(
        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    clamd = ClamdFixture.builder().start();
    kit = new ReleaseKit(tmp.resolve("kit"));
    board = QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(8 << 20));
    board.powerOn();
    Files.createDirectories(tmp.resolve("station"));
    h =
        new DaemonHarness(
            tmp.resolve("station"), clamd.unixAddress().toString(), SETUP_ROLES, "nogroup", "");
    h.serverAndTrust(kit.stationYaml(2));
    h.writeConfig(SETUP_ROLES, "nogroup", fixtures());
    h.start();
    byte[] image = E2EStation.image(2 << 20, 21);
    kit.publish("ipc-x1-main", "5.4.1", List.of("IPC-X1"), image);
    ok(
        h.cli(
            "order",
            "open",
            "WO-1",
            "--model",
            "IPC-X1",
            "--firmware",
            "ipc-x1-main",
            "--version",
            "5.4.1",
            "--quantity",
            "10"));
    ok(h.cli("firmware", "fetch", "ipc-x1-main", "5.4.1"));
    ok(burn(1));
    ok(burn(2));
    // An infected release raises an alert (the alerts table gets a row to tamper with).
    byte[] infected = E2EStation.image(2 << 20, 22);
    kit.publish("ipc-x1-main", "5.4.2", List.of("IPC-X1"), infected);
    clamd.addBodySignature(
        "BurnGuard.Test.Ledger", java.util.Arrays.copyOfRange(infected, 4096, 4128));
    assertEquals(3, h.cli("firmware", "fetch", "ipc-x1-main", "5.4.2").exit());
    h.stop();
    h.writeConfig(AUDIT_ROLES, "nogroup", fixtures());
    h.start();
    ok(h.cli("alerts", "ack", "1", "--note", "reviewed: the release was never burned"));
    DaemonHarness.Run v = h.cli("audit", "verify");
    assertEquals(0, v.exit(), v.toString());
    h.stop();
    pristine = tmp.resolve("pristine");
    copyStation(h.dataDir(), pristine);
    // The designated server keeps running: every daemon start below runs the trust refresher's
    // first pass, which must not store the server's signed state over a tampered table.
  }

  @AfterAll
  static void teardown() throws Exception {
    if (h != null) {
      h.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {board, kit, clamd}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String fixtures() {
    return "fixtures:\n" + E2EStation.fixture("fx1", board) + E2EStation.models();
  }

  static DaemonHarness.Run burn(int n) throws Exception {
    return h.cliAs("nobody", "burn", "--fixture", "fx1", "--barcode", E2EStation.barcode(n));
  }

  static void ok(DaemonHarness.Run r) throws Exception {
    assertEquals(0, r.exit(), r + h.daemonOutput());
  }

  static void copyStation(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    for (String f : STATION_FILES) {
      Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    for (String f : List.of("burnguard.db-wal", "burnguard.db-shm")) {
      Files.deleteIfExists(to.resolve(f));
      if (Files.exists(from.resolve(f))) {
        Files.copy(from.resolve(f), to.resolve(f));
      }
    }
  }

  static List<RowDifference> offline(Path copy) throws Exception {
    byte[] pub = StationKey.readPublicKey(copy.resolve(StationKey.PUBLIC_FILE));
    AuditChainBroken e =
        assertThrows(
            AuditChainBroken.class,
            () ->
                new AuditVerifier(pub, true)
                    .verifyDatabase(copy.resolve("burnguard.db"), List.of()));
    assertEquals(AuditChainBroken.Problem.TABLE_MISMATCH, e.problem(), e.getMessage());
    return e.differences();
  }

  static boolean names(List<RowDifference> diffs, Tamper t, String key) {
    return diffs.stream()
        .anyMatch(
            d ->
                d.change() == t.change()
                    && d.table().equals(t.table())
                    && d.key().equals(key)
                    && (t.column() == null || t.column().equals(d.column()))
                    && (t.change() == Change.INSERTED
                        || d.chainedValue() != null && d.sequence() > 0));
  }

  @Test
  void untouchedCopyPassesOffline() throws Exception {
    Path copy = tmp.resolve("untouched");
    copyStation(pristine, copy);
    DaemonHarness.Run r =
        h.cli(
            "audit", "verify", "--db", copy.resolve("burnguard.db").toString(), "--all-signatures");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("audit chain intact"), r.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tampers")
  void eachTamperingIsNamedOffline(Tamper t) throws Exception {
    Path copy = tmp.resolve("offline-" + t.table() + "-" + t.change());
    copyStation(pristine, copy);
    Path db = copy.resolve("burnguard.db");
    String key = Sqlite3Cli.run(db, t.keySql()).strip();
    assertFalse(key.isEmpty(), "the station has a row in " + t.table());
    Sqlite3Cli.run(db, t.sql());
    List<RowDifference> diffs = offline(copy);
    assertTrue(names(diffs, t, key), t + " key " + key + " not named in " + diffs);
    DaemonHarness.Run cli = h.cli("audit", "verify", "--db", db.toString());
    assertEquals(3, cli.exit(), cli.toString());
    assertTrue(cli.err().contains(t.table() + " " + key), cli.toString());
  }

  /**
   * The daemon's own audit verify, on the station's database tampered while it was stopped: per
   * table, the edit and the insert together, then the delete alone (a one-row table cannot lose the
   * row it also edits).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("onlineGroups")
  void everyTamperingOfATableIsNamedByTheDaemon(String name, List<Tamper> ts) throws Exception {
    copyStation(pristine, h.dataDir());
    Path db = h.dataDir().resolve("burnguard.db");
    String table = ts.get(0).table();
    List<String> keys = new java.util.ArrayList<>();
    for (Tamper t : ts) {
      keys.add(Sqlite3Cli.run(db, t.keySql()).strip());
    }
    for (Tamper t : ts) {
      Sqlite3Cli.run(db, t.sql());
    }
    h.start();
    try {
      DaemonHarness.Run r = h.cli("audit", "verify");
      assertEquals(3, r.exit(), r.toString());
      for (int i = 0; i < ts.size(); i++) {
        String named = table + " " + keys.get(i) + ":";
        assertTrue(r.toString().contains(named), named + " in " + r);
        if (ts.get(i).column() != null) {
          assertTrue(r.toString().contains("column " + ts.get(i).column()), r.toString());
        }
      }
    } finally {
      h.stop();
    }
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> onlineGroups() {
    return tampers()
        .map(Tamper::table)
        .distinct()
        .flatMap(
            t ->
                Stream.of(
                    tampers().filter(x -> x.table().equals(t) && x.change() != Change.DELETED),
                    tampers().filter(x -> x.table().equals(t) && x.change() == Change.DELETED)))
        .map(Stream::toList)
        .filter(g -> !g.isEmpty())
        .map(
            g ->
                org.junit.jupiter.params.provider.Arguments.of(
                    g.get(0).table() + " " + g.stream().map(Tamper::change).toList(), g));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resets")
  void resetVettingStateBlocksTheNextBurnWithAnAlert(String reset) throws Exception {
    copyStation(pristine, h.dataDir());
    Sqlite3Cli.run(h.dataDir().resolve("burnguard.db"), reset);
    h.start();
    try {
      DaemonHarness.Run r = burn(5);
      assertEquals(3, r.exit(), r.toString());
      assertTrue(r.out().contains("agree with the signed audit chain"), r.toString());
      DaemonHarness.Run alerts = h.cli("alerts", "--open", "--json");
      assertEquals(0, alerts.exit(), alerts.toString());
      assertTrue(alerts.out().contains("ledger.state-mismatch"), alerts.toString());
      assertTrue(alerts.out().contains("CRITICAL"), alerts.toString());
    } finally {
      h.stop();
    }
  }

  /**
   * Found at the final merge: the trust refresher stored the server's signed withdrawal list again
   * when the stored copy differed, also when the difference was a tamper, and so healed it. With
   * the server up, the refresher's first pass now fetches the list and is refused storing it; the
   * deleted row stays deleted, is named by audit verify, and the CRITICAL alert is open.
   */
  @Test
  void theTrustRefresherDoesNotStoreOverATamperedWithdrawalList() throws Exception {
    copyStation(pristine, h.dataDir());
    Path db = h.dataDir().resolve("burnguard.db");
    String key = Sqlite3Cli.run(db, "SELECT max(id) FROM vetting_withdrawals_doc;").strip();
    Sqlite3Cli.run(db, "DELETE FROM vetting_withdrawals_doc WHERE id = " + key + ";");
    h.start();
    try {
      DaemonHarness.Run[] doctor = new DaemonHarness.Run[1];
      boolean refused =
          DaemonHarness.waitFor(
              java.time.Duration.ofSeconds(60),
              () -> {
                try {
                  doctor[0] = h.cli("doctor");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return doctor[0].toString().contains("vetting state is not written");
              });
      assertTrue(refused, "the refresher's pass was refused: " + doctor[0]);
      DaemonHarness.Run v = h.cli("audit", "verify");
      assertEquals(3, v.exit(), v.toString());
      assertTrue(v.toString().contains("vetting_withdrawals_doc " + key + ":"), v.toString());
      assertEquals(
          "0",
          Sqlite3Cli.run(db, "SELECT count(*) FROM vetting_withdrawals_doc WHERE id = " + key + ";")
              .strip());
      DaemonHarness.Run alerts = h.cli("alerts", "--open", "--json");
      assertTrue(alerts.out().contains("ledger.state-mismatch"), alerts.toString());
      assertEquals(3, burn(6).exit());
    } finally {
      h.stop();
    }
  }

  @Test
  void traceCarriesTheChainSequenceAndOneUnitVerifiesAgainstTheSignedHead() throws Exception {
    copyStation(pristine, h.dataDir());
    Path db = h.dataDir().resolve("burnguard.db");
    String unit = E2EStation.barcode(1);
    long seq =
        Long.parseLong(
            Sqlite3Cli.run(
                    db,
                    "SELECT max(seq) FROM audit_chain WHERE ref = 'burns/' || (SELECT id FROM"
                        + " burns WHERE barcode = '"
                        + unit
                        + "');")
                .strip());
    h.start();
    try {
      DaemonHarness.Run t = h.cliAs("nobody", "trace", unit, "--json");
      assertEquals(0, t.exit(), t.toString());
      var burn = io.burnguard.agent.control.Wire.mapper().readTree(t.out()).path("burns").get(0);
      assertEquals(seq, burn.path("chainSeq").asLong(), burn.toString());
      DaemonHarness.Run online = h.cli("audit", "verify", "--unit", unit);
      assertEquals(0, online.exit(), online.toString());
      assertTrue(online.out().contains(Long.toString(seq)), online.toString());
    } finally {
      h.stop();
    }
    Path copy = tmp.resolve("unit");
    copyStation(pristine, copy);
    Path copyDb = copy.resolve("burnguard.db");
    DaemonHarness.Run ok = h.cli("audit", "verify", "--db", copyDb.toString(), "--unit", unit);
    assertEquals(0, ok.exit(), ok.toString());
    Sqlite3Cli.run(
        copyDb, "UPDATE burns SET operator = 'someone-else' WHERE barcode = '" + unit + "';");
    DaemonHarness.Run bad = h.cli("audit", "verify", "--db", copyDb.toString(), "--unit", unit);
    assertEquals(3, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("column operator"), bad.toString());
  }

  static Stream<String> resets() {
    return Stream.of(
        "DELETE FROM vetting_highest_version;",
        "UPDATE vetting_highest_version SET version = '0.0.1';",
        "UPDATE vetting_withdrawal_state SET sequence = 0;");
  }
}
