package io.burnguard.agent.doctor;

import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditVerification;
import io.burnguard.agent.audit.AuditVerifier;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.ReleaseVerifier;
import io.burnguard.agent.vetting.SqliteVersionStore;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.fetch.ReleaseCatalog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the daemon's database holds: the stored withdrawal list (verified again under today's trust
 * material, as a burn would) and the audit chain, verified entry by entry to its head.
 */
final class RecordChecks {
  /** A withdrawal list expiring sooner than this is a WARN: the station must reach the server. */
  static final Duration WITHDRAWALS_WARN = Duration.ofDays(1);

  private RecordChecks() {}

  /**
   * The stored withdrawal list's age and expiry.
   *
   * @param policy the trust policy of a burn now, or null when it cannot be built (the release root
   *     or a CRL is unreadable; reported by their own checks)
   */
  static Check withdrawals(Database db, TrustPolicy policy, Clock clock) {
    String name = "withdrawals";
    Optional<byte[][]> stored;
    try {
      stored = new ReleaseCatalog(db).latestWithdrawals();
    } catch (DatabaseException e) {
      return Check.fail(name, e.getMessage(), "see the database check", ExitCode.UNAVAILABLE);
    }
    if (stored.isEmpty()) {
      return Check.warn(
          name,
          "no withdrawal list stored yet",
          "an engineer's first `burnguard firmware fetch` stores one; burns need it");
    }
    if (policy == null) {
      return Check.fail(
          name,
          "the stored withdrawal list cannot be verified: the trust material is unreadable",
          "fix the release-root and crls checks",
          ExitCode.USAGE);
    }
    WithdrawalList w;
    try {
      w =
          new ReleaseVerifier(policy, new ReadOnlyVersions(new SqliteVersionStore(db)))
              .verifyWithdrawals("the stored withdrawals.json", stored.get()[0], stored.get()[1]);
    } catch (ReleaseRejectedException e) {
      return Check.fail(
          name,
          e.reason() + ": " + e.detail(),
          "run `burnguard firmware fetch` for a current release to store a fresh list; "
              + e.reason().advice(),
          ExitCode.REFUSED);
    } catch (DatabaseException e) {
      return Check.fail(name, e.getMessage(), "see the database check", ExitCode.UNAVAILABLE);
    }
    return judge(w, clock.instant());
  }

  /** OK with the list's age and expiry, or WARN when it expires within a day. */
  private static Check judge(WithdrawalList w, Instant now) {
    String name = "withdrawals";
    String detail =
        String.format(
            java.util.Locale.ROOT,
            "sequence %d, issued %s (%s ago), expires %s (in %s), %d release(s) withdrawn",
            w.sequence(),
            w.issued(),
            TrustChecks.days(Duration.between(w.issued(), now)),
            w.expires(),
            TrustChecks.days(Duration.between(now, w.expires())),
            w.withdrawn().size());
    if (Duration.between(now, w.expires()).compareTo(WITHDRAWALS_WARN) < 0) {
      return Check.warn(
          name,
          detail,
          "the station must fetch a fresh list before it expires, or burns are refused;"
              + " check that the designated server is reachable");
    }
    return Check.ok(name, detail);
  }

  /** The station's audit chain, verified to its head (the head file beside the database). */
  static Check auditChain(Database db) {
    String name = "audit";
    try {
      byte[] pub =
          StationKey.readPublicKey(
              db.file().toAbsolutePath().resolveSibling(StationKey.PUBLIC_FILE));
      AuditVerification v =
          new AuditVerifier(pub, false).verifyDatabaseAgainst(db.file(), List.of());
      return Check.ok(
          name,
          String.format(
              java.util.Locale.ROOT,
              "chain intact to the head: %d entries, last sequence %d",
              v.entries(),
              v.lastSequence()));
    } catch (AuditChainBroken e) {
      return Check.fail(
          name,
          e.problem() + " at sequence " + e.sequence() + ": " + e.getMessage(),
          "do not trust the records from that sequence on; run `burnguard audit verify` and"
              + " report it to security",
          ExitCode.REFUSED);
    } catch (IOException | DatabaseException e) {
      return Check.fail(
          name,
          "the audit chain cannot be verified: " + e.getMessage(),
          "check the data directory and the station key files",
          ExitCode.UNAVAILABLE);
    }
  }

  /**
   * The station's versions, read-only: doctor only looks, so a verification it runs compares with
   * the sequence seen (rollback) but records nothing.
   */
  private record ReadOnlyVersions(VersionStore seen) implements VersionStore {
    @Override
    public Optional<String> highestVersion(String name) throws DatabaseException {
      return seen.highestVersion(name);
    }

    @Override
    public void recordVersion(String name, String version) {}

    @Override
    public OptionalLong withdrawalSequence() throws DatabaseException {
      return seen.withdrawalSequence();
    }

    @Override
    public void recordWithdrawalSequence(long sequence) {}
  }
}
