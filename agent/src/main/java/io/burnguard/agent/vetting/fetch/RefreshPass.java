package io.burnguard.agent.vetting.fetch;

import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.ReleaseVerifier;
import io.burnguard.agent.vetting.TrustDocuments;
import io.burnguard.agent.vetting.TrustLoader;
import io.burnguard.agent.vetting.TrustMaterialException;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.ServerRefusedException;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refresh of the station's trust material: fetch, verify, store.
 *
 * <p>Order: the CRLs first, stored each on its own (a bad one does not keep the others out), then
 * the withdrawal list, verified under the CRLs just stored. The CRLs must not depend on the
 * withdrawal list verifying: a list signed by a signer that the new CRL revokes fails, and a
 * station that then kept its old CRL would keep the revoked signer burnable. The withdrawal list's
 * signature only lends its certificate bag (untrusted; {@link TrustDocuments#verifiedCrl}).
 */
final class RefreshPass {
  private static final Logger log = LoggerFactory.getLogger(RefreshPass.class);

  private final TrustLoader trust;
  private final VersionStore versions;
  private final ReleaseCatalog catalog;
  private final CrlStore store;
  private final List<String> crlNames;
  private final Clock clock;
  private final List<String> errors = new ArrayList<>();
  private boolean unavailable;

  RefreshPass(
      TrustLoader trust,
      VersionStore versions,
      ReleaseCatalog catalog,
      CrlStore store,
      List<String> crlNames,
      Clock clock) {
    this.trust = trust;
    this.versions = versions;
    this.catalog = catalog;
    this.store = store;
    this.crlNames = crlNames;
    this.clock = clock;
  }

  /** Runs the pass; the failure, if any part failed. */
  Optional<TrustStatus.Failure> run(TrustRefresher.Server server) {
    DesignatedServerClient client;
    try {
      client = server.open();
    } catch (Exception e) { // TLS set-up or settings: whatever the source says, we cannot refresh
      errors.add("cannot set up the designated-server client: " + e.getMessage());
      return Optional.of(new TrustStatus.Failure(errors.get(0), true));
    }
    try {
      store.ensureDir();
      Optional<byte[][]> w = withdrawals(client);
      List<X509Certificate> bag = new ArrayList<>();
      w.ifPresent(d -> bag.addAll(TrustDocuments.certificatesOf(d[1])));
      catalog.latestWithdrawals().ifPresent(s -> bag.addAll(TrustDocuments.certificatesOf(s[1])));
      TrustPolicy before = trust.load(clock);
      for (String name : crlNames) {
        crl(client, name, before, bag);
      }
      if (w.isPresent()) {
        storeWithdrawals(w.get()[0], w.get()[1]);
      }
    } catch (TrustMaterialException | IOException | DatabaseException e) {
      errors.add(e.getMessage());
    }
    return errors.isEmpty()
        ? Optional.empty()
        : Optional.of(new TrustStatus.Failure(String.join("; ", errors), unavailable));
  }

  /** The server's withdrawal list as {document, signature}, or empty when it failed. */
  private Optional<byte[][]> withdrawals(DesignatedServerClient client) {
    try {
      byte[] doc = client.fetchDocument("withdrawals.json");
      byte[] sig = client.fetchDocument("withdrawals.json.p7s");
      return Optional.of(new byte[][] {doc, sig});
    } catch (ServerRefusedException e) {
      serverFailed("withdrawals.json", e);
      return Optional.empty();
    }
  }

  private void crl(
      DesignatedServerClient client, String name, TrustPolicy policy, List<X509Certificate> bag)
      throws IOException {
    String where = "crl/" + name;
    store.file(name); // a name that could leave crlDir is refused before anything is fetched
    try {
      byte[] der = client.fetchDocument(where);
      X509CRL fresh = TrustDocuments.verifiedCrl(where, der, policy, bag);
      Optional<X509CRL> stored = store.stored(name);
      if (stored.isPresent()) {
        TrustDocuments.checkNotOlder(where, fresh, stored.get());
      }
      if (store.put(name, der)) {
        log.info(
            "stored {} from the designated server in {} (issued {}, next update {})",
            where,
            store.dir(),
            fresh.getThisUpdate().toInstant(),
            fresh.getNextUpdate().toInstant());
      }
    } catch (ServerRefusedException e) {
      serverFailed(where, e);
    } catch (ReleaseRejectedException e) {
      errors.add(where + " refused, the stored copy is kept: " + e.getMessage());
    }
  }

  private void storeWithdrawals(byte[] doc, byte[] sig) throws DatabaseException {
    try {
      // Verified under the CRLs just stored; the sequence never goes back (the verifier refuses).
      WithdrawalList w =
          new ReleaseVerifier(trust.load(clock), versions)
              .verifyWithdrawals("withdrawals.json", doc, sig);
      Optional<byte[][]> stored = catalog.latestWithdrawals();
      if (stored.isEmpty()
          || !Arrays.equals(stored.get()[0], doc)
          || !Arrays.equals(stored.get()[1], sig)) {
        catalog.recordWithdrawals(w.sequence(), doc, sig, clock.instant());
        log.info("stored withdrawal list {} (expires {})", w.sequence(), w.expires());
      }
    } catch (ReleaseRejectedException | TrustMaterialException e) {
      errors.add("withdrawals.json refused, the stored list is kept: " + e.getMessage());
    }
  }

  private void serverFailed(String where, ServerRefusedException e) {
    errors.add(where + ": " + e.getMessage());
    if (!e.reason().isPolicy()) {
      unavailable = true;
    }
  }
}
