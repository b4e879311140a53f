package io.burnguard.agent.doctor;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.vetting.TrustFiles;
import io.burnguard.agent.vetting.TrustLoader;
import io.burnguard.agent.vetting.TrustMaterialException;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.config.StationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The station checks of {@code burnguard doctor} beyond config, database, socket, disk and clamd
 * (docs/decisions.md, "Doctor"): release root, server CA, CRLs, fixture ports, trust files' owners
 * and modes, port policy, and in the daemon the withdrawal list and the audit chain.
 */
public final class StationDoctor {
  private StationDoctor() {}

  /**
   * The checks the daemon runs, as the daemon's user.
   *
   * @param configFile the station.yaml the daemon loaded
   */
  public static List<Check> daemonChecks(
      StationConfig cfg, Path configFile, Database db, Clock clock) {
    Set<Integer> owners = FileTrust.daemonOwners();
    List<Check> checks = fileChecks(cfg, configFile, owners, clock.instant());
    checks.add(RecordChecks.withdrawals(db, burnPolicy(cfg, clock), clock));
    checks.add(RecordChecks.auditChain(db));
    return checks;
  }

  /**
   * The checks the CLI can run alone when the daemon does not answer. The daemon's user is taken to
   * be the owner of the data directory (the daemon creates it), besides root.
   */
  public static List<Check> offlineChecks(StationConfig cfg, Path configFile, Clock clock) {
    Set<Integer> owners = new LinkedHashSet<>(List.of(0));
    FileTrust.uidOf(cfg.station().dataDir()).ifPresent(owners::add);
    return fileChecks(cfg, configFile, owners, clock.instant());
  }

  private static List<Check> fileChecks(
      StationConfig cfg, Path configFile, Set<Integer> owners, Instant now) {
    List<Check> checks = new ArrayList<>();
    checks.add(TrustChecks.releaseRoot(cfg.trust(), now));
    checks.add(TrustChecks.serverCa(cfg.server(), now));
    checks.add(TrustChecks.crls(cfg.trust(), readableRoot(cfg).orElse(null), now));
    checks.add(FileTrust.check(cfg, configFile, owners));
    checks.add(StationChecks.fixturePorts(cfg.fixtures()));
    checks.add(StationChecks.portPolicy(cfg.ports()));
    return checks;
  }

  private static Optional<X509Certificate> readableRoot(StationConfig cfg) {
    try {
      return Optional.of(TrustFiles.certificate(cfg.trust().releaseRoot()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The policy a burn verifies with now (root and crlDir's CRLs), or null when unreadable. */
  private static TrustPolicy burnPolicy(StationConfig cfg, Clock clock) {
    StationConfig.Trust t = cfg.trust();
    try {
      return TrustLoader.station(t.releaseRoot(), t.crlDir(), t.threshold(), t.signers())
          .load(clock);
    } catch (TrustMaterialException e) {
      // The release-root and crls lines say what is wrong with the files.
      return null;
    }
  }
}
