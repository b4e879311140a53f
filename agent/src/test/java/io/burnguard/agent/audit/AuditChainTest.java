package io.burnguard.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditChainTest {
  @TempDir Path dir;

  @Test
  void intactChainVerifiesWithCountAndHead() throws Exception {
    ChainFixture f = new ChainFixture(dir).withEntries(25);
    AuditVerification v = f.verify();
    assertEquals(25, v.entries());
    assertEquals(25, v.lastSequence());
    assertEquals(List.of(AuditChain.headFileFor(f.dbFile).toString()), v.headsChecked());
    AuditHead head = AuditHead.read(AuditChain.headFileFor(f.dbFile));
    assertEquals(25, head.sequence());
    assertEquals(v.lastHash(), head.hash());
    assertTrue(head.signatureValid(f.key.publicKey()));
    assertEquals(25, f.verify(true).signaturesChecked());
  }

  @Test
  void emptyChainIsIntact() throws Exception {
    ChainFixture f = new ChainFixture(dir).withEntries(0);
    assertEquals(0, f.verify().entries());
  }

  @Test
  void keyFileIsOwnerOnlyAndReloadsTheSameKey() throws Exception {
    StationKey k1 = StationKey.loadOrCreate(dir);
    Path priv = dir.resolve(StationKey.PRIVATE_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
    StationKey k2 = StationKey.loadOrCreate(dir);
    assertEquals(
        java.util.HexFormat.of().formatHex(k1.publicKey()),
        java.util.HexFormat.of().formatHex(k2.publicKey()));
    assertEquals(
        java.util.HexFormat.of().formatHex(k1.publicKey()),
        java.util.HexFormat.of()
            .formatHex(StationKey.readPublicKey(dir.resolve(StationKey.PUBLIC_FILE))));
  }

  @Test
  void keyReadableByOthersIsRefused() throws Exception {
    StationKey.loadOrCreate(dir);
    Path priv = dir.resolve(StationKey.PRIVATE_FILE);
    Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
    IOException e = assertThrows(IOException.class, () -> StationKey.loadOrCreate(dir));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void rolledBackAppendLeavesNoEntryAndNoHead() throws Exception {
    ChainFixture f = new ChainFixture(dir).withEntries(2);
    try (Database db = Database.open(f.dbFile)) {
      AuditChain chain = AuditChain.open(db, f.key, ChainFixture.CLOCK);
      assertThrows(
          DatabaseException.class,
          () ->
              chain.write(
                  c -> {
                    chain.append(c, "test.event", "tests/x", Map.of("n", 3));
                    throw new SQLException("simulated failure after the append");
                  }));
    }
    assertEquals(2, f.verify().entries());
    assertEquals(2, AuditHead.read(AuditChain.headFileFor(f.dbFile)).sequence());
  }

  @Test
  void appendOutsideATransactionIsABug() throws Exception {
    ChainFixture f = new ChainFixture(dir).withEntries(0);
    try (Database db = Database.open(f.dbFile)) {
      AuditChain chain = AuditChain.open(db, f.key, ChainFixture.CLOCK);
      assertThrows(
          IllegalStateException.class, () -> db.read(c -> chain.append(c, "k", "r", Map.of())));
    }
  }

  @Test
  void headFromAnotherKeyIsRefused() throws Exception {
    ChainFixture f = new ChainFixture(dir).withEntries(3);
    Path other = Files.createDirectory(dir.resolve("other"));
    AuditHead forged =
        AuditHead.sign(StationKey.loadOrCreate(other), 3, f.verify().lastHash(), "x");
    Path exported = dir.resolve("forged.head");
    Files.writeString(exported, forged.toJson());
    AuditChainBroken e = assertThrows(AuditChainBroken.class, () -> f.verify(false, exported));
    assertEquals(AuditChainBroken.Problem.BAD_HEAD, e.problem());
  }

  @Test
  void canonicalJsonSortsKeysAtEveryLevel() {
    Map<String, Object> inner = new java.util.HashMap<>();
    inner.put("d", "x");
    inner.put("c", null);
    assertEquals(
        "{\"a\":1,\"b\":{\"c\":null,\"d\":\"x\"}}", Canonical.json(Map.of("b", inner, "a", 1)));
  }
}
