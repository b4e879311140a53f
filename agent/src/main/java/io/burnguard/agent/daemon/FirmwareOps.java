package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.burn.VettedImage;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.vetting.Reason;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.ReleaseVerifier;
import io.burnguard.agent.vetting.SqliteVersionStore;
import io.burnguard.agent.vetting.TrustFiles;
import io.burnguard.agent.vetting.TrustLoader;
import io.burnguard.agent.vetting.TrustMaterialException;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.agent.vetting.VerifiedRelease;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.cache.ImageCache;
import io.burnguard.agent.vetting.fetch.ReleaseCatalog;
import io.burnguard.agent.vetting.fetch.ReleaseFetcher;
import io.burnguard.agent.vetting.fetch.TrustRefresher;
import io.burnguard.agent.vetting.fetch.TrustStatus;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.ServerConfig;
import io.burnguard.agent.vetting.server.ServerRefusedException;
import io.burnguard.config.Durations;
import io.burnguard.config.StationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The daemon's firmware requests: {@code firmware.fetch} and {@code firmware.list}. Maps
 * station.yaml onto the vetting classes and their refusals onto exit codes and sentences.
 *
 * <p>Trust material (release root, CRL files) is read again for every fetch and burn, so a CRL the
 * {@link TrustRefresher} stores in {@code crlDir} counts at once; a missing or unreadable root
 * refuses the fetch (fail closed) rather than falling back to anything.
 */
final class FirmwareOps {
  /** Refusals that a fresh copy of the CRLs or the withdrawal list may lift. */
  private static final Set<Reason> NEEDS_REFRESH =
      EnumSet.of(
          Reason.CRL_MISSING,
          Reason.CRL_EXPIRED,
          Reason.WITHDRAWALS_MISSING,
          Reason.WITHDRAWALS_EXPIRED,
          Reason.WITHDRAWALS_ROLLBACK);

  /** Release names and versions become URL path segments and file names: keep them plain. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

  private final StationConfig config;
  private final Clock clock;
  private final ImageCache cache;
  private final ReleaseCatalog catalog;
  private final SqliteVersionStore versions;
  private final TrustLoader trust;
  private final TrustRefresher refresher;

  /**
   * One fetch at a time: two fetches of one release would share its part file. Shared by every
   * configuration generation ({@link #reconfigured}).
   */
  private final ReentrantLock fetchLock;

  private final ImageScanner scanner;

  FirmwareOps(
      StationConfig config,
      Database db,
      Clock clock,
      ImageScanner scanner,
      ImageCache cache,
      TrustRefresher.Alerts alerts) {
    this(
        config,
        clock,
        scanner,
        cache,
        new ReleaseCatalog(db),
        new SqliteVersionStore(db),
        new ReentrantLock(),
        null,
        alerts);
  }

  /**
   * @param shared the refresher of an earlier generation, or null to build the first one: one
   *     refresher runs per daemon; a reload hands it the new generation's settings once that
   *     generation is in force (docs/decisions.md, "Config reload")
   */
  private FirmwareOps(
      StationConfig config,
      Clock clock,
      ImageScanner scanner,
      ImageCache cache,
      ReleaseCatalog catalog,
      SqliteVersionStore versions,
      ReentrantLock fetchLock,
      TrustRefresher shared,
      TrustRefresher.Alerts alerts) {
    this.config = config;
    this.clock = clock;
    this.scanner = scanner;
    this.cache = cache;
    this.catalog = catalog;
    this.versions = versions;
    this.fetchLock = fetchLock;
    StationConfig.Trust t = config.trust();
    this.trust = TrustLoader.station(t.releaseRoot(), t.crlDir(), t.threshold(), t.signers());
    this.refresher =
        shared != null
            ? shared
            : new TrustRefresher(refresherSettings(), versions, catalog, alerts, clock);
  }

  /**
   * What the trust refresher reads from this generation's station.yaml: it is built with the first
   * generation's and follows each reload's ({@link StationRuntime#activated}).
   */
  TrustRefresher.Settings refresherSettings() {
    StationConfig.Trust t = config.trust();
    return new TrustRefresher.Settings(
        trust,
        t.crlDir(),
        t.serverCrls() == null ? List.of() : t.serverCrls(),
        t.refreshInterval(),
        () -> new DesignatedServerClient(serverConfig()));
  }

  /** The refresher of CRLs and the withdrawal list (started and closed by the daemon). */
  TrustRefresher refresher() {
    return refresher;
  }

  /** Opens the station's encrypted image cache in {@code station.dataDir}. */
  static ImageCache openCache(StationConfig config, Clock clock) throws IOException {
    Path data = config.station().dataDir();
    return ImageCache.open(data.resolve("cache"), data.resolve("cache.key"), clock);
  }

  /**
   * The firmware requests under a reloaded station.yaml: its server and trust settings, the same
   * cache, catalog and fetch lock (station.dataDir cannot change without a restart).
   */
  FirmwareOps reconfigured(StationConfig config, ImageScanner scanner) {
    return new FirmwareOps(
        config, clock, scanner, cache, catalog, versions, fetchLock, refresher, null);
  }

  /** The encrypted image cache. */
  ImageCache cache() {
    return cache;
  }

  Result fetch(Call call) throws OperationException {
    return fetch(call, safe(call, "name"), safe(call, "version"));
  }

  private Result fetch(Call call, String name, String version) throws OperationException {
    if (!fetchLock.tryLock()) {
      throw new OperationException(
          ExitCode.UNAVAILABLE,
          "another firmware fetch is running on this station; retry when it ends");
    }
    try {
      ReleaseFetcher fetcher =
          new ReleaseFetcher(
              new DesignatedServerClient(serverConfig()),
              trustPolicy(),
              config.trust().serverCrls(),
              versions,
              cache,
              config.station().dataDir().resolve("downloads"),
              catalog,
              scanner);
      call.info("fetching " + name + " " + version + " from " + config.server().url());
      ReleaseFetcher.Fetched f =
          fetcher.fetch(name, version, (done, total) -> call.progress("download", done, total));
      ObjectNode data = Wire.object();
      data.put("name", name);
      data.put("version", version);
      data.put("sha256", f.release().manifest().sha256());
      data.put("length", f.release().manifest().length());
      ArrayNode signers = data.putArray("signers");
      f.release().signerNames().forEach(signers::add);
      data.put("withdrawalsSequence", f.withdrawals().sequence());
      data.put(
          "scan",
          "clean (clamd " + f.scan().clamdVersion() + ", signatures " + f.scan().dbVersion() + ")");
      return new Result(
          ExitCode.OK,
          String.format(
              "fetched %s %s: %d bytes, sha256 %s, signed by %s; scanned clean; stored encrypted"
                  + " in the cache",
              name,
              version,
              f.release().manifest().length(),
              f.release().manifest().sha256(),
              String.join(", ", f.release().signerNames())),
          data);
    } catch (ReleaseRejectedException e) {
      throw new OperationException(ExitCode.REFUSED, "release refused: " + e.getMessage(), e);
    } catch (ScanException e) {
      throw new OperationException(
          e.reason().dependencyFailure() ? ExitCode.UNAVAILABLE : ExitCode.REFUSED,
          "scan: " + e.getMessage(),
          e);
    } catch (ServerRefusedException e) {
      throw new OperationException(
          e.reason().isPolicy() ? ExitCode.REFUSED : ExitCode.UNAVAILABLE,
          "designated server: " + e.getMessage(),
          e);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new OperationException(
          ExitCode.USAGE, "cannot set up TLS for the designated server: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new OperationException(
          ExitCode.UNAVAILABLE,
          "fetch of "
              + name
              + " "
              + version
              + " failed: "
              + e.getMessage()
              + "; check free space in "
              + config.station().dataDir()
              + " and retry",
          e);
    } finally {
      fetchLock.unlock();
    }
  }

  /**
   * The burn-time check of a release (docs/architecture.md pipeline, "vetted image"): the stored
   * manifest and signature are verified again under today's trust material (the CRLs the {@link
   * TrustRefresher} keeps in {@code crlDir}) and the fixture's model, and the stored withdrawal
   * list must still be fresh and not list it. A burn normally does not touch the network: when a
   * CRL or the withdrawal list is missing or expired it asks the refresher for a pass and waits at
   * most {@code server.burnNetworkTimeout} (issue 12, finding 6), then refuses and says why. A
   * release never fetched is fetched first if the caller may fetch (engineer), else refused.
   */
  VettedImage vettedForBurn(Call call, String name, String version, String model, boolean mayFetch)
      throws OperationException {
    try {
      Optional<ReleaseCatalog.Entry> entry = catalog.find(name, version);
      if (entry.isEmpty()) {
        if (!mayFetch) {
          throw new OperationException(
              ExitCode.REFUSED,
              "release "
                  + name
                  + " "
                  + version
                  + " has not been fetched and vetted on this"
                  + " station, and operators may not fetch firmware; ask the line engineer to run"
                  + " `burnguard firmware fetch "
                  + name
                  + " "
                  + version
                  + "`");
        }
        fetch(call, name, version);
        entry = catalog.find(name, version);
        if (entry.isEmpty()) {
          throw new OperationException(
              ExitCode.INTERNAL, "release " + name + " " + version + " vanished after fetch");
        }
      }
      VerifiedRelease r = verifiedForBurn(call, entry.get(), model);
      if (!cache.contains(r.manifest())) {
        throw new OperationException(
            ExitCode.REFUSED,
            "the vetted image of "
                + name
                + " "
                + version
                + " is not in the cache (purged or"
                + " quarantined); an engineer must fetch it again");
      }
      return new VettedImage(r, cache);
    } catch (ReleaseRejectedException e) {
      throw new OperationException(ExitCode.REFUSED, "release refused: " + e.getMessage(), e);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  /** Verifies the cached release; one bounded refresh when the stored trust material is stale. */
  private VerifiedRelease verifiedForBurn(Call call, ReleaseCatalog.Entry e, String model)
      throws OperationException, DatabaseException, ReleaseRejectedException {
    try {
      return verifyCached(e, model);
    } catch (ReleaseRejectedException stale) {
      if (!NEEDS_REFRESH.contains(stale.reason())) {
        throw stale;
      }
      TrustStatus s = refreshForBurn(call, stale);
      try {
        return verifyCached(e, model);
      } catch (ReleaseRejectedException still) {
        if (NEEDS_REFRESH.contains(still.reason())
            && s.lastError().isPresent()
            && s.lastError().get().unavailable()) {
          throw new OperationException(
              ExitCode.UNAVAILABLE,
              "release refused: "
                  + still.getMessage()
                  + " The refresh from the designated server failed: "
                  + s.lastError().get().message(),
              still);
        }
        throw still;
      }
    }
  }

  private VerifiedRelease verifyCached(ReleaseCatalog.Entry e, String model)
      throws OperationException, DatabaseException, ReleaseRejectedException {
    TrustPolicy policy = trustPolicy().withModel(model);
    VerifiedRelease r =
        ReleaseVerifier.verifyOffline(
            policy,
            e.name() + " " + e.version() + " (cached manifest)",
            e.manifest(),
            e.signature());
    ReleaseVerifier verifier = new ReleaseVerifier(policy, versions);
    Optional<byte[][]> stored = catalog.latestWithdrawals();
    if (stored.isEmpty()) {
      throw new ReleaseRejectedException(
          Reason.WITHDRAWALS_MISSING, "no verified withdrawal list is stored on this station");
    }
    WithdrawalList w =
        verifier.verifyWithdrawals("withdrawals.json (stored)", stored.get()[0], stored.get()[1]);
    verifier.checkNotWithdrawn(r.manifest(), w);
    return r;
  }

  /**
   * Asks the refresher for a pass and waits at most {@code server.burnNetworkTimeout}: a slow or
   * stalled server must not hold the fixture (the pass goes on in the background).
   */
  private TrustStatus refreshForBurn(Call call, ReleaseRejectedException stale)
      throws OperationException {
    Duration budget = config.server().burnNetworkTimeout();
    call.info(
        stale.reason()
            + ": refreshing CRLs and the withdrawal list from the designated server (waiting at"
            + " most "
            + Durations.format(budget)
            + ")");
    try {
      return refresher.refreshWithin(budget);
    } catch (TimeoutException e) {
      throw new OperationException(
          ExitCode.UNAVAILABLE,
          "release refused: "
              + stale.getMessage()
              + " A fresh copy did not arrive from the designated server within"
              + " server.burnNetworkTimeout ("
              + Durations.format(budget)
              + "), so the burn is refused rather than hold the fixture; check the network and"
              + " the server (`burnguard doctor` shows the last trust refresh), then scan the unit"
              + " again",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationException(
          ExitCode.UNAVAILABLE, "the burn was interrupted while refreshing trust material", e);
    }
  }

  Result list(Call call) throws OperationException {
    try {
      ArrayNode arr = Wire.mapper().createArrayNode();
      for (ReleaseCatalog.Entry e : catalog.list()) {
        ObjectNode n = arr.addObject();
        n.put("name", e.name());
        n.put("version", e.version());
        n.put("sha256", e.sha256());
        n.put("length", e.length());
        n.set("signers", Wire.mapper().readTree(e.signersJson()));
        n.put("fetchedAt", e.fetchedAt().toString());
      }
      ObjectNode data = Wire.object();
      data.set("releases", arr);
      return Result.ok(data);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    } catch (IOException e) {
      throw new OperationException(
          ExitCode.INTERNAL, "the release catalog is unreadable: " + e.getMessage(), e);
    }
  }

  private static String safe(Call call, String arg) throws OperationException {
    String v = call.text(arg);
    if (!SAFE.matcher(v).matches()) {
      throw new OperationException(
          ExitCode.USAGE,
          "the release "
              + arg
              + " \""
              + v
              + "\" has characters BurnGuard does not accept; use"
              + " letters, digits, '.', '_', '+' or '-' (at most 64)");
    }
    return v;
  }

  ServerConfig serverConfig() throws OperationException {
    StationConfig.DesignatedServer s = config.server();
    Optional<X509Certificate> ca = Optional.empty();
    if (s.caFile() != null) {
      ca = Optional.of(certificate(s.caFile(), "server.caFile"));
    }
    return new ServerConfig(
        s.url(),
        ca,
        Optional.ofNullable(s.spkiPin()),
        s.connectTimeout(),
        s.readTimeout(),
        ServerConfig.DEFAULT_MAX_DOCUMENT_BYTES,
        s.requestTimeout(),
        s.minImageRate() * 1024L);
  }

  /** The station's trust policy now: pinned root, CRL files in crlDir, threshold, signers. */
  TrustPolicy trustPolicy() throws OperationException {
    try {
      return trust.load(clock);
    } catch (TrustMaterialException e) {
      throw new OperationException(ExitCode.USAGE, e.getMessage(), e);
    }
  }

  private static X509Certificate certificate(Path file, String key) throws OperationException {
    try {
      return TrustFiles.certificate(file);
    } catch (IOException e) {
      throw new OperationException(
          ExitCode.USAGE,
          key
              + " "
              + file
              + " cannot be read as a certificate ("
              + e.getMessage()
              + "); install the PEM file there, nothing is trusted without it",
          e);
    }
  }
}
