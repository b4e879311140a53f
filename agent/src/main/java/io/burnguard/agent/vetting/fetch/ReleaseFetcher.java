package io.burnguard.agent.vetting.fetch;

import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.scan.ImageScan;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.scan.ScanVerdict;
import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.Reason;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.ReleaseVerifier;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.agent.vetting.VerifiedRelease;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.cache.ImageCache;
import io.burnguard.agent.vetting.cache.PendingImage;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.ServerRefusedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code burnguard firmware fetch NAME VERSION} on the daemon side: download, verify, scan, cache;
 * and the burn side's "scan OK for the current clamd database" check on a cached image.
 *
 * <p>Order (issue 3): CRLs and the withdrawal list first (so the release is judged against the
 * freshest revocation and recall data), then the manifest and its signature, and only after the
 * manifest is accepted the image, which is encrypted as it arrives into a 0600 part file
 * (resumable) that becomes the cache file by a rename once its length and SHA-256 match and clamd
 * found it clean ({@link PendingImage}). Only then is the version recorded as the new highest seen.
 *
 * <p>Scanning (issue 4, "scanned as it is downloaded"): clamd's VERSION and signature freshness are
 * checked before the first byte is fetched, so a dead or stale scanner costs no download. Each
 * network read is then appended to the part file and handed, in the same pass, to SHA-256 and to
 * clamd's INSTREAM (for a resumed download the part file's prefix is streamed to clamd first, so
 * the verdict always covers the whole image). The verdict is recorded with the image digest and
 * clamd's database version. Fail closed: any {@link ScanException} ends the fetch before anything
 * is cached or the version is accepted. A detection also deletes the part file; other scan failures
 * keep it, since its bytes are rescanned from the start by the next fetch. Bytes in a part file are
 * never burned: burns read only published cache files.
 */
public final class ReleaseFetcher {
  private static final Logger log = LoggerFactory.getLogger(ReleaseFetcher.class);

  private final DesignatedServerClient server;
  private final TrustPolicy policy;
  private final List<String> crlNames;
  private final VersionStore versions;
  private final ImageCache cache;
  private final Path downloads;
  private final ReleaseCatalog catalog;
  private final ImageScanner scanner;
  private final java.time.Clock clock;

  /**
   * The result of a fetch.
   *
   * @param scan clamd's clean verdict on the image, as recorded
   */
  public record Fetched(
      VerifiedRelease release, WithdrawalList withdrawals, Path cachedFile, ScanVerdict scan) {}

  /**
   * A fetcher.
   *
   * @param crlNames file names under {@code <base>/crl/} to fetch (a static server cannot list)
   * @param downloads private directory for resumable part files
   * @param catalog where fetched releases and the latest withdrawal list are recorded
   * @param scanner the scanning stage: every image is scanned as it is downloaded
   */
  public ReleaseFetcher(
      DesignatedServerClient server,
      TrustPolicy policy,
      List<String> crlNames,
      VersionStore versions,
      ImageCache cache,
      Path downloads,
      ReleaseCatalog catalog,
      ImageScanner scanner) {
    this.server = Objects.requireNonNull(server, "server");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.crlNames = List.copyOf(crlNames);
    this.versions = Objects.requireNonNull(versions, "versions");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.downloads = Objects.requireNonNull(downloads, "downloads");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.scanner = Objects.requireNonNull(scanner, "scanner");
    this.clock = policy.clock();
  }

  /**
   * Fetches, verifies, scans and caches {@code name} {@code version}.
   *
   * @throws ScanException the image is infected ({@link ScanException.Reason#MALWARE_FOUND}, after
   *     the scanner's alert and quarantine hooks ran) or could not be scanned; nothing was cached
   */
  public Fetched fetch(String name, String version, DesignatedServerClient.Progress progress)
      throws ReleaseRejectedException,
          ServerRefusedException,
          ScanException,
          IOException,
          DatabaseException {
    ReleaseVerifier verifier = new ReleaseVerifier(policy.withMoreCrls(fetchCrls()), versions);
    byte[] wDoc = server.fetchDocument("withdrawals.json");
    byte[] wSig = server.fetchDocument("withdrawals.json.p7s");
    WithdrawalList withdrawals = verifier.verifyWithdrawals("withdrawals.json", wDoc, wSig);
    catalog.recordWithdrawals(withdrawals.sequence(), wDoc, wSig, clock.instant());
    String manifestPath = DesignatedServerClient.releasePath(name, version, "manifest.json");
    byte[] sig = server.fetchDocument(manifestPath + ".p7s");
    VerifiedRelease r =
        verifier.verifyManifest(manifestPath, server.fetchDocument(manifestPath), sig, withdrawals);
    requireAsked(r.manifest(), name, version, manifestPath);
    Files.createDirectories(downloads);
    Path part = downloads.resolve(r.manifest().sha256() + ".part");
    Stored stored = downloadScanAndStore(r.manifest(), part, progress);
    Path cached = stored.file();
    ScanVerdict verdict = stored.verdict();
    verifier.accept(r);
    catalog.record(r, sig, clock.instant());
    log.info(
        "fetched {} {} ({} bytes) signed by {}, clean under clamd {} database {}",
        name,
        version,
        r.manifest().length(),
        r.signers().stream().map(s -> s.commonName()).toList(),
        verdict.clamdVersion(),
        verdict.dbVersion());
    return new Fetched(r, withdrawals, cached, verdict);
  }

  /**
   * A genuine, signed manifest of another release must not stand in for the one asked for (issue
   * 12, finding 7): the name and version inside the signed manifest must equal the request, or the
   * fetch would report, cache and accept a version it never got. Checked before any image byte is
   * downloaded and before the version is recorded as seen.
   */
  static void requireAsked(Manifest m, String name, String version, String where)
      throws ReleaseRejectedException {
    if (!m.name().equals(name) || !m.version().equals(version)) {
      throw new ReleaseRejectedException(
          Reason.RELEASE_MISMATCH,
          String.format(
              Locale.ROOT,
              "%s is the signed manifest of %s %s, but %s %s was asked for",
              where,
              m.name(),
              m.version(),
              name,
              version));
    }
  }

  /**
   * The clean verdict a burn of the cached image of {@code m} needs (architecture, burn pipeline:
   * "scan OK for the CURRENT clamd db"): the recorded one while clamd's engine and database are
   * unchanged, else a rescan of the decrypted, authenticated cache copy. A detection deletes the
   * cached image (after the scanner's alert and quarantine hooks ran).
   *
   * @param where what is being burned, for messages and alerts (e.g. "burn of SN123 on fixture 2")
   */
  public ScanVerdict requireClean(Manifest m, String where) throws ScanException {
    try {
      return scanner.requireClean(m.sha256(), () -> cache.openForBurn(m), where);
    } catch (ScanException e) {
      if (e.reason() == ScanException.Reason.MALWARE_FOUND) {
        deleteQuietly(cache.fileOf(m), e.signature());
      }
      throw e;
    }
  }

  /**
   * {@link #requireClean(Manifest, String)}, then the vetted bytes for the burn. The stream
   * re-checks length and SHA-256 at its end ({@link ImageCache#openForBurn(Manifest)}), so the
   * bytes burned are the bytes the verdict is about even if the file changed after the check.
   */
  public InputStream openForBurn(Manifest m, String where) throws ScanException, IOException {
    requireClean(m, where);
    return cache.openForBurn(m);
  }

  private record Stored(Path file, ScanVerdict verdict) {}

  /**
   * Downloads the image into the cache's part file, hashing, scanning and encrypting it in the same
   * pass (issue 17, "one-pass fetch"); syncs it while clamd finishes its scan; publishes it only
   * with the manifest's length and digest and a clean verdict.
   */
  private Stored downloadScanAndStore(
      Manifest m, Path part, DesignatedServerClient.Progress progress)
      throws ScanException, ReleaseRejectedException, ServerRefusedException, IOException {
    try (ImageScan scan = scanner.begin("release " + m.name() + " " + m.version());
        PendingImage pending = cache.begin(m, part)) {
      try {
        server.download(
            DesignatedServerClient.releasePath(m.name(), m.version(), m.file()),
            pending,
            m.length(),
            progress,
            scan::update);
      } catch (ImageScan.ScanIOException e) {
        throw dropIfInfected(e.scanFailure(), m, part);
      }
      try {
        pending.verifyAndSync();
      } catch (ReleaseRejectedException e) {
        // The scan's outcome comes first: a detection is what the caller must act on.
        try {
          scan.finish(null);
        } catch (ScanException scanFailure) {
          scanFailure.addSuppressed(e);
          throw dropIfInfected(scanFailure, m, part);
        }
        throw e;
      }
      ScanVerdict verdict;
      try {
        verdict = scan.finish(m.sha256());
      } catch (ScanException e) {
        throw dropIfInfected(e, m, part);
      }
      return new Stored(pending.publish(), verdict);
    }
  }

  /**
   * On a detection the part file is deleted, and so is a copy of the same bytes cached earlier
   * under an older signature database; any other scan failure keeps the part file for a resumed
   * rescan.
   */
  private ScanException dropIfInfected(ScanException e, Manifest m, Path part) {
    if (e.reason() == ScanException.Reason.MALWARE_FOUND) {
      deleteQuietly(part, e.signature());
      deleteQuietly(cache.fileOf(m), e.signature());
    }
    return e;
  }

  private static void deleteQuietly(Path f, String signature) {
    try {
      if (Files.deleteIfExists(f)) {
        log.warn("deleted {} (matched {})", f, signature);
      }
    } catch (IOException io) {
      // The refusal stands either way; the verdict is recorded, so a burn is refused too.
      log.error("could not delete {} (matched {}): {}", f, signature, io.getMessage());
    }
  }

  private List<X509CRL> fetchCrls() throws ServerRefusedException {
    List<X509CRL> out = new ArrayList<>();
    for (String n : crlNames) {
      byte[] der = server.fetchDocument("crl/" + n);
      try {
        out.add(
            (X509CRL)
                CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der)));
      } catch (CRLException | CertificateException e) {
        // Unusable CRL: revocation then fails closed with CRL_MISSING naming the issuer.
        log.warn("crl/{} from the designated server is not a CRL: {}", n, e.getMessage());
      }
    }
    return out;
  }
}
