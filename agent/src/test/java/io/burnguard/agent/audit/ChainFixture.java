package io.burnguard.agent.audit;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** A database with an audit chain of n entries in a temp dir. */
final class ChainFixture {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);

  final Path dir;
  final Path dbFile;
  final StationKey key;

  ChainFixture(Path dir) throws IOException {
    this.dir = dir;
    this.dbFile = dir.resolve("burnguard.db");
    this.key = StationKey.loadOrCreate(dir);
  }

  /** Appends entries 1..n (one transaction each) and closes the database. */
  ChainFixture withEntries(int n) throws DatabaseException, IOException {
    try (Database db = Database.open(dbFile)) {
      AuditChain chain = AuditChain.open(db, key, CLOCK);
      for (int i = 1; i <= n; i++) {
        int k = i;
        chain.write(
            c ->
                chain.append(
                    c, "test.event", "tests/" + k, Map.of("n", k, "note", "entry number " + k)));
      }
    }
    return this;
  }

  AuditVerification verify() throws Exception {
    return new AuditVerifier(key.publicKey(), false).verifyDatabase(dbFile, List.of());
  }

  AuditVerification verify(boolean all, Path... heads) throws Exception {
    return new AuditVerifier(key.publicKey(), all).verifyDatabase(dbFile, List.of(heads));
  }

  static final String UNLOCK =
      "DROP TRIGGER audit_chain_no_update; DROP TRIGGER audit_chain_no_delete;\n";
}
