package io.burnguard.agent.vetting.fetch;

import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.ReleaseVerifier;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.agent.vetting.VerifiedRelease;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.cache.ImageCache;
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
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code burnguard firmware fetch NAME VERSION} on the daemon side: download, verify, cache.
 *
 * <p>Order (issue 3): CRLs and the withdrawal list first (so the release is judged against the
 * freshest revocation and recall data), then the manifest and its signature, and only after the
 * manifest is accepted the image, which streams to a 0600 part file (resumable), then into the
 * encrypted cache while its length and SHA-256 are checked. Only then is the version recorded as
 * the new highest seen.
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
  private final java.time.Clock clock;

  /** The result of a fetch. */
  public record Fetched(VerifiedRelease release, WithdrawalList withdrawals, Path cachedFile) {}

  /**
   * A fetcher.
   *
   * @param crlNames file names under {@code <base>/crl/} to fetch (a static server cannot list)
   * @param downloads private directory for resumable part files
   * @param catalog where fetched releases and the latest withdrawal list are recorded
   */
  public ReleaseFetcher(
      DesignatedServerClient server,
      TrustPolicy policy,
      List<String> crlNames,
      VersionStore versions,
      ImageCache cache,
      Path downloads,
      ReleaseCatalog catalog) {
    this.server = Objects.requireNonNull(server, "server");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.crlNames = List.copyOf(crlNames);
    this.versions = Objects.requireNonNull(versions, "versions");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.downloads = Objects.requireNonNull(downloads, "downloads");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.clock = policy.clock();
  }

  /** Fetches, verifies and caches {@code name} {@code version}. */
  public Fetched fetch(String name, String version, DesignatedServerClient.Progress progress)
      throws ReleaseRejectedException, ServerRefusedException, IOException, DatabaseException {
    ReleaseVerifier verifier = new ReleaseVerifier(policy.withMoreCrls(fetchCrls()), versions);
    byte[] wDoc = server.fetchDocument("withdrawals.json");
    byte[] wSig = server.fetchDocument("withdrawals.json.p7s");
    WithdrawalList withdrawals = verifier.verifyWithdrawals("withdrawals.json", wDoc, wSig);
    catalog.recordWithdrawals(withdrawals.sequence(), wDoc, wSig, clock.instant());
    String manifestPath = DesignatedServerClient.releasePath(name, version, "manifest.json");
    byte[] sig = server.fetchDocument(manifestPath + ".p7s");
    VerifiedRelease r =
        verifier.verifyManifest(manifestPath, server.fetchDocument(manifestPath), sig, withdrawals);
    Files.createDirectories(downloads);
    Path part = downloads.resolve(r.manifest().sha256() + ".part");
    server.download(
        DesignatedServerClient.releasePath(name, version, r.manifest().file()),
        part,
        r.manifest().length(),
        progress);
    Path cached;
    try (InputStream in = Files.newInputStream(part)) {
      cached = cache.store(r.manifest(), in);
    } finally {
      // A part file that failed the digest is useless for resuming; a good one is now cached.
      Files.deleteIfExists(part);
    }
    verifier.accept(r);
    catalog.record(r, sig, clock.instant());
    log.info(
        "fetched {} {} ({} bytes) signed by {}",
        name,
        version,
        r.manifest().length(),
        r.signers().stream().map(s -> s.commonName()).toList());
    return new Fetched(r, withdrawals, cached);
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
