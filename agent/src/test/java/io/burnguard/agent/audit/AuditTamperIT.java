package io.burnguard.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.audit.AuditChainBroken.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * One tampering of a chain of ten entries by SQL on the closed file, and where the verifier must
   * locate it.
   *
   * @param mentions text the refusal must contain besides the sequence
   */
  record Tamper(String name, String sql, Problem problem, long sequence, String mentions) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Tamper> tamperings() {
    return Stream.of(
        new Tamper(
            "edited payload",
            "UPDATE audit_chain SET payload = replace(payload, 'entry', 'ENTRY') WHERE seq = 6;",
            Problem.EDITED,
            6,
            ""),
        new Tamper("deleted row", "DELETE FROM audit_chain WHERE seq = 4;", Problem.MISSING, 4, ""),
        new Tamper(
            "deleted row, later rows renumbered to close the gap",
            "DELETE FROM audit_chain WHERE seq = 4;\n"
                + "UPDATE audit_chain SET seq = -(seq - 1) WHERE seq > 4;\n"
                + "UPDATE audit_chain SET seq = -seq WHERE seq < 0;",
            Problem.BROKEN_LINK,
            4,
            ""),
        new Tamper(
            "rows 3 and 7 swapped",
            "UPDATE audit_chain SET seq = -1 WHERE seq = 3;\n"
                + "UPDATE audit_chain SET seq = 3 WHERE seq = 7;\n"
                + "UPDATE audit_chain SET seq = 7 WHERE seq = -1;",
            Problem.BROKEN_LINK,
            3,
            ""),
        new Tamper(
            "tail 8..10 cut, detected against the head file",
            "DELETE FROM audit_chain WHERE seq > 7;",
            Problem.TAIL_CUT,
            8,
            "8..10"));
  }

  @ParameterizedTest(name = "{0} is located")
  @MethodSource("tamperings")
  void tamperingIsLocated(Tamper t) throws Exception {
    ChainFixture f = chainOf(10);
    Sqlite3.run(f.dbFile, ChainFixture.UNLOCK + t.sql());
    for (boolean all : new boolean[] {false, true}) {
      AuditChainBroken e = broken(f, all);
      assertEquals(t.problem(), e.problem(), "all=" + all + ": " + e.getMessage());
      assertEquals(t.sequence(), e.sequence(), "all=" + all + ": " + e.getMessage());
      assertTrue(e.getMessage().contains(t.mentions()), e.getMessage());
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

  /**
   * A well-formed forged entry (correct hashes, linked to its predecessor, signed by another key)
   * inserted at {@code seq}: in the middle (later entries shifted up by one) or appended at the
   * end.
   */
  @ParameterizedTest(name = "forged row at {0} of 10 is located by its signature")
  @ValueSource(longs = {5, 11})
  void forgedRowIsLocatedBySignature(long seq) throws Exception {
    ChainFixture f = chainOf(10);
    Sqlite3.run(
        f.dbFile,
        ChainFixture.UNLOCK
            + "UPDATE audit_chain SET seq = -(seq + 1) WHERE seq >= "
            + seq
            + ";\n"
            + "UPDATE audit_chain SET seq = -seq WHERE seq < 0;");
    String prev =
        Sqlite3.run(f.dbFile, "SELECT entry_hash FROM audit_chain WHERE seq = " + (seq - 1) + ";")
            .strip();
    Sqlite3.run(f.dbFile, forgedInsert(seq, prev, "burn.passed", "burns/999"));
    AuditChainBroken e = broken(f, false);
    assertEquals(Problem.BAD_SIGNATURE, e.problem());
    assertEquals(seq, e.sequence());
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
