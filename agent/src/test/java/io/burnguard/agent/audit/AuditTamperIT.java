package io.burnguard.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.audit.AuditChainBroken.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of tampering, done with the real sqlite3 command line on the closed database file, is
 * detected and located at the right sequence (issue 6, "Tests that must exist").
 */
class AuditTamperIT {
  @TempDir Path dir;

  private ChainFixture chainOf(int n) throws Exception {
    ChainFixture f = new ChainFixture(dir).withEntries(n);
    assertEquals(n, f.verify().entries());
    return f;
  }

  private static AuditChainBroken broken(ChainFixture f, boolean all, Path... heads) {
    AuditChainBroken e = assertThrows(AuditChainBroken.class, () -> f.verify(all, heads));
    assertTrue(e.getMessage().contains(Long.toString(e.sequence())), e.getMessage());
    return e;
  }

  @Test
  void editedPayloadIsLocated() throws Exception {
    ChainFixture f = chainOf(10);
    Sqlite3.run(
        f.dbFile,
        ChainFixture.UNLOCK
            + "UPDATE audit_chain SET payload = replace(payload, 'entry', 'ENTRY') WHERE seq = 6;");
    for (boolean all : new boolean[] {false, true}) {
      AuditChainBroken e = broken(f, all);
      assertEquals(Problem.EDITED, e.problem());
      assertEquals(6, e.sequence());
    }
  }

  @Test
  void editedRowWithRecomputedHashesIsLocatedBySignature() throws Exception {
    ChainFixture f = chainOf(40);
    // The tamperer knows the format but not the key: rewrite entry 17 and re-link 17..40.
    rewriteFrom(f, 17);
    for (boolean all : new boolean[] {false, true}) {
      AuditChainBroken e = broken(f, all);
      assertEquals(Problem.BAD_SIGNATURE, e.problem());
      assertEquals(17, e.sequence());
    }
  }

  @Test
  void deletedRowIsLocated() throws Exception {
    ChainFixture f = chainOf(10);
    Sqlite3.run(f.dbFile, ChainFixture.UNLOCK + "DELETE FROM audit_chain WHERE seq = 4;");
    AuditChainBroken e = broken(f, false);
    assertEquals(Problem.MISSING, e.problem());
    assertEquals(4, e.sequence());
  }

  @Test
  void deletedAndRenumberedRowIsLocated() throws Exception {
    ChainFixture f = chainOf(10);
    Sqlite3.run(
        f.dbFile,
        ChainFixture.UNLOCK
            + "DELETE FROM audit_chain WHERE seq = 4;\n"
            + "UPDATE audit_chain SET seq = -(seq - 1) WHERE seq > 4;\n"
            + "UPDATE audit_chain SET seq = -seq WHERE seq < 0;");
    AuditChainBroken e = broken(f, false);
    assertEquals(Problem.BROKEN_LINK, e.problem());
    assertEquals(4, e.sequence());
  }

  @Test
  void forgedRowInsertedInTheMiddleIsLocated() throws Exception {
    ChainFixture f = chainOf(10);
    // Shift 5..10 up by one, then insert a well-formed forged entry 5 linked to entry 4.
    Sqlite3.run(
        f.dbFile,
        ChainFixture.UNLOCK
            + "UPDATE audit_chain SET seq = -(seq + 1) WHERE seq >= 5;\n"
            + "UPDATE audit_chain SET seq = -seq WHERE seq < 0;");
    String prev =
        Sqlite3.run(f.dbFile, "SELECT entry_hash FROM audit_chain WHERE seq = 4;").strip();
    Sqlite3.run(f.dbFile, forgedInsert(5, prev, "burn.passed", "burns/999"));
    AuditChainBroken e = broken(f, false);
    assertEquals(Problem.BAD_SIGNATURE, e.problem());
    assertEquals(5, e.sequence());
  }

  @Test
  void forgedRowAppendedAtTheEndIsLocated() throws Exception {
    ChainFixture f = chainOf(10);
    String prev =
        Sqlite3.run(f.dbFile, "SELECT entry_hash FROM audit_chain WHERE seq = 10;").strip();
    Sqlite3.run(f.dbFile, forgedInsert(11, prev, "burn.passed", "burns/999"));
    AuditChainBroken e = broken(f, false);
    assertEquals(Problem.BAD_SIGNATURE, e.problem());
    assertEquals(11, e.sequence());
  }

  @Test
  void swappedRowsAreLocated() throws Exception {
    ChainFixture f = chainOf(10);
    Sqlite3.run(
        f.dbFile,
        ChainFixture.UNLOCK
            + "UPDATE audit_chain SET seq = -1 WHERE seq = 3;\n"
            + "UPDATE audit_chain SET seq = 3 WHERE seq = 7;\n"
            + "UPDATE audit_chain SET seq = 7 WHERE seq = -1;");
    AuditChainBroken e = broken(f, false);
    assertEquals(Problem.BROKEN_LINK, e.problem());
    assertEquals(3, e.sequence());
  }

  @Test
  void cutTailIsDetectedAgainstTheHeadFile() throws Exception {
    ChainFixture f = chainOf(10);
    Sqlite3.run(f.dbFile, ChainFixture.UNLOCK + "DELETE FROM audit_chain WHERE seq > 7;");
    AuditChainBroken e = broken(f, false);
    assertEquals(Problem.TAIL_CUT, e.problem());
    assertEquals(8, e.sequence());
    assertTrue(e.getMessage().contains("8..10"), e.getMessage());
  }

  @Test
  void cutTailWithRolledBackHeadFileIsDetectedAgainstAnExportedHead() throws Exception {
    ChainFixture f = chainOf(7);
    Path head = AuditChain.headFileFor(f.dbFile);
    Path oldHead = dir.resolve("old.head");
    Files.copy(head, oldHead);
    f.withEntries(3); // entries 8..10
    Path exported = dir.resolve("exported.head");
    Files.copy(head, exported);
    // The tamperer cuts 8..10 and puts back the head file as it was at entry 7.
    Sqlite3.run(f.dbFile, ChainFixture.UNLOCK + "DELETE FROM audit_chain WHERE seq > 7;");
    Files.copy(oldHead, head, StandardCopyOption.REPLACE_EXISTING);
    assertEquals(7, f.verify().entries());
    AuditChainBroken e = broken(f, false, exported);
    assertEquals(Problem.TAIL_CUT, e.problem());
    assertEquals(8, e.sequence());
    assertTrue(e.getMessage().contains(exported.toString()), e.getMessage());
  }

  @Test
  void deletedHeadFileIsReported() throws Exception {
    ChainFixture f = chainOf(3);
    Files.delete(AuditChain.headFileFor(f.dbFile));
    assertEquals(Problem.BAD_HEAD, broken(f, false).problem());
  }

  /** A well-formed entry (correct hashes) with a signature from a key that is not the station's. */
  private String forgedInsert(long seq, String prev, String kind, String ref) throws Exception {
    Path other = Files.createTempDirectory(dir, "attacker");
    StationKey attacker = StationKey.loadOrCreate(other);
    String at = "2026-11-21T09:00:00.000Z";
    String payload = "{\"forged\":true}";
    MessageDigest md = EntryCodec.sha256();
    byte[] ph = EntryCodec.payloadHash(md, payload);
    byte[] eh = EntryCodec.entryHash(md, seq, at, kind, ref, ph, EntryCodec.HEX.parseHex(prev));
    return String.format(
        "INSERT INTO audit_chain VALUES (%d, '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s');",
        seq,
        at,
        kind,
        ref,
        payload,
        EntryCodec.HEX.formatHex(ph),
        prev,
        EntryCodec.HEX.formatHex(eh),
        EntryCodec.HEX.formatHex(attacker.sign(eh)));
  }

  /** Edits entry {@code from}'s payload and recomputes every hash from there to the end. */
  private void rewriteFrom(ChainFixture f, long from) throws Exception {
    String rows =
        Sqlite3.run(
            f.dbFile,
            ".mode tabs\nSELECT seq, at, kind, ref, payload, prev_hash, signature FROM audit_chain"
                + " WHERE seq >= "
                + (from - 1)
                + " ORDER BY seq;");
    StringBuilder sql = new StringBuilder(ChainFixture.UNLOCK);
    MessageDigest md = EntryCodec.sha256();
    byte[] prev = null;
    for (String line : rows.strip().split("\n")) {
      String[] c = line.split("\t");
      long seq = Long.parseLong(c[0]);
      if (seq == from - 1) {
        prev =
            EntryCodec.entryHash(
                md,
                seq,
                c[1],
                c[2],
                c[3],
                EntryCodec.payloadHash(md, c[4]),
                EntryCodec.HEX.parseHex(c[5]));
        continue;
      }
      String payload = seq == from ? c[4].replace("entry", "ENTRY") : c[4];
      byte[] ph = EntryCodec.payloadHash(md, payload);
      byte[] eh = EntryCodec.entryHash(md, seq, c[1], c[2], c[3], ph, prev);
      sql.append(
          String.format(
              "UPDATE audit_chain SET payload='%s', payload_hash='%s', prev_hash='%s',"
                  + " entry_hash='%s' WHERE seq=%d;%n",
              payload,
              EntryCodec.HEX.formatHex(ph),
              EntryCodec.HEX.formatHex(prev),
              EntryCodec.HEX.formatHex(eh),
              seq));
      prev = eh;
    }
    Sqlite3.run(f.dbFile, sql.toString());
  }
}
