package io.burnguard.agent.vetting;

import static io.burnguard.agent.vetting.ReleaseVerifierTest.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.burnguard.agent.db.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Station path: rollback memory in SQLite (V3) and withdrawal lists. */
class StationVettingTest {
  static TestPki pki;
  @TempDir Path dir;
  Database db;
  VersionStore store;
  ReleaseVerifier verifier;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  @BeforeEach
  void open() throws Exception {
    db = Database.open(dir.resolve("station.db"));
    store = new SqliteVersionStore(db);
    verifier = new ReleaseVerifier(pki.policy(), store);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static byte[] sign(byte[] b) throws Exception {
    return ReleaseSigner.sign(b, List.of(pki.key(pki.alice)));
  }

  static WithdrawalList list(long seq, Instant expires, WithdrawalList.Entry... entries) {
    return new WithdrawalList(
        seq, TestPki.NOW.minus(Duration.ofHours(1)), expires, List.of(entries));
  }

  static final Instant TOMORROW = TestPki.NOW.plus(Duration.ofDays(1));

  WithdrawalList verified(WithdrawalList w) throws Exception {
    byte[] doc = ReleaseSigner.withdrawalBytes(w);
    return verifier.verifyWithdrawals("withdrawals.json", doc, sign(doc));
  }

  VerifiedRelease release(String version, boolean allowDowngrade, WithdrawalList w)
      throws Exception {
    byte[] m = ReleaseSigner.manifestBytes(ReleaseVerifierTest.manifest(version, allowDowngrade));
    return verifier.verifyManifest("manifest.json", m, sign(m), w);
  }

  @Test
  void acceptedVersionRaisesTheMarkAndOlderIsRefused() throws Exception {
    WithdrawalList w = verified(list(1, TOMORROW));
    verifier.accept(release("5.4.1", false, w));
    verifier.accept(release("5.10.0", false, w));
    assertEquals(Optional.of("5.10.0"), store.highestVersion("ipc-x1-main"));
    assertReason(Reason.DOWNGRADE, () -> release("5.9.9", false, w));
    release("5.10.0", false, w); // same version again is fine (re-fetch)
    release("5.4.1", true, w); // allowDowngrade
    verifier.accept(release("5.4.1", true, w));
    assertEquals(Optional.of("5.10.0"), store.highestVersion("ipc-x1-main"));
  }

  @Test
  void markSurvivesReopen() throws Exception {
    verifier.accept(release("6.0", false, verified(list(1, TOMORROW))));
    db.close();
    db = Database.open(dir.resolve("station.db"));
    VersionStore again = new SqliteVersionStore(db);
    assertEquals(Optional.of("6.0"), again.highestVersion("ipc-x1-main"));
    assertEquals(OptionalLong.of(1), again.withdrawalSequence());
  }

  @Test
  void withdrawnReleaseIsRefused() throws Exception {
    WithdrawalList w =
        verified(list(2, TOMORROW, new WithdrawalList.Entry("ipc-x1-main", "5.4.1", "CVE-2026-1")));
    assertReason(Reason.WITHDRAWN, () -> release("5.4.1", false, w));
    release("5.4.2", false, w);
  }

  @Test
  void expiredWithdrawalListIsRefusedOnFetchAndAtBurnTime() throws Exception {
    assertReason(Reason.WITHDRAWALS_EXPIRED, () -> verified(list(1, TestPki.NOW.minusSeconds(1))));
    WithdrawalList w = verified(list(1, TestPki.NOW.plusSeconds(60)));
    VerifiedRelease r = release("5.4.1", false, w);
    // An hour later the same list is stale: the burn must be blocked (freeze attack).
    Clock later = Clock.fixed(TestPki.NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    TrustPolicy p = pki.policy();
    ReleaseVerifier atBurn =
        new ReleaseVerifier(
            new TrustPolicy(p.root(), p.crls(), p.revocation(), 1, Set.of(), later, p.model()),
            store);
    assertReason(Reason.WITHDRAWALS_EXPIRED, () -> atBurn.checkNotWithdrawn(r.manifest(), w));
  }

  @Test
  void rolledBackWithdrawalListIsRefused() throws Exception {
    verified(list(5, TOMORROW));
    verified(list(5, TOMORROW));
    assertReason(Reason.WITHDRAWALS_ROLLBACK, () -> verified(list(4, TOMORROW)));
    verified(list(6, TOMORROW));
    assertEquals(OptionalLong.of(6), store.withdrawalSequence());
  }

  @Test
  void tamperedWithdrawalListIsRefused() throws Exception {
    byte[] doc = ReleaseSigner.withdrawalBytes(list(1, TOMORROW));
    byte[] sig = sign(doc);
    byte[] evil =
        new String(doc, java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"sequence\" : 1", "\"sequence\" : 9")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertReason(
        Reason.MANIFEST_DIGEST_MISMATCH,
        () -> verifier.verifyWithdrawals("withdrawals.json", evil, sig));
  }

  @Test
  void versionOrdering() {
    assertEquals(
        -1, Integer.signum(ReleaseVersion.parse("5.4.1").compareTo(ReleaseVersion.parse("5.10"))));
    assertEquals(
        -1,
        Integer.signum(ReleaseVersion.parse("5.4.1-rc1").compareTo(ReleaseVersion.parse("5.4.1"))));
    assertEquals(0, ReleaseVersion.parse("5.4").compareTo(ReleaseVersion.parse("5.4.0")));
  }
}
