package io.burnguard.agent.vetting;

import java.io.ByteArrayInputStream;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * Checks of the trust documents a station refreshes on its own (issue 12, finding 1): CRLs fetched
 * from the designated server before they replace the stored ones in {@code crlDir}.
 *
 * <p>Threat: a server (or whoever controls it) that serves a forged CRL, a CRL of another CA, or an
 * older genuine CRL taken before a signer was revoked. A forged or foreign CRL would only make
 * revocation fail closed ({@link ChainChecks} ignores CRLs its issuer did not sign), but it would
 * replace the good stored one; an older genuine CRL would un-revoke a signer. So a CRL is stored
 * only when its issuer is the pinned root, or a CA certificate that chains to the root by
 * signature, and the CRL verifies with that issuer's key; when it is current; and when it is not
 * older than the stored one ({@link #checkNotOlder}).
 *
 * <p>Where the CA certificate comes from: the station pins only the root, and intermediates ride in
 * the CMS signatures (docs/architecture.md). The caller passes the certificate bags of the
 * withdrawal list's signatures ({@link #certificatesOf}); they are not trusted as such, each
 * candidate must chain to the pinned root.
 */
public final class TrustDocuments {
  private TrustDocuments() {}

  /**
   * A CRL from the designated server, verified for storing.
   *
   * @param where where it came from, for messages (e.g. {@code crl/signing.crl})
   * @param bag candidate issuer certificates (untrusted; each must chain to the root)
   */
  public static X509CRL verifiedCrl(
      String where, byte[] der, TrustPolicy policy, List<X509Certificate> bag)
      throws ReleaseRejectedException {
    X509CRL crl = parseCrl(where, der);
    X509Certificate issuer = issuerOf(where, crl, policy, bag);
    if (!ChainChecks.crlSignedBy(crl, issuer)) {
      throw new ReleaseRejectedException(
          Reason.CRL_INVALID,
          String.format(
              Locale.ROOT,
              "%s names the issuer %s but its signature does not verify with that certificate's"
                  + " key (or the key may not sign CRLs)",
              where,
              crl.getIssuerX500Principal().getName()));
    }
    Instant now = policy.clock().instant();
    if (crl.getThisUpdate().toInstant().isAfter(now)
        || crl.getNextUpdate() == null
        || !crl.getNextUpdate().toInstant().isAfter(now)) {
      throw new ReleaseRejectedException(
          Reason.CRL_EXPIRED,
          String.format(
              Locale.ROOT,
              "%s is valid from %s to %s; station time is %s",
              where,
              crl.getThisUpdate().toInstant(),
              crl.getNextUpdate() == null ? "(no nextUpdate)" : crl.getNextUpdate().toInstant(),
              now));
    }
    return crl;
  }

  /** Refuses {@code fresh} when it was issued before {@code stored} (same issuer): a rollback. */
  public static void checkNotOlder(String where, X509CRL fresh, X509CRL stored)
      throws ReleaseRejectedException {
    if (fresh.getIssuerX500Principal().equals(stored.getIssuerX500Principal())
        && fresh.getThisUpdate().before(stored.getThisUpdate())) {
      throw new ReleaseRejectedException(
          Reason.CRL_ROLLBACK,
          String.format(
              Locale.ROOT,
              "%s was issued at %s; this station already holds one issued at %s",
              where,
              fresh.getThisUpdate().toInstant(),
              stored.getThisUpdate().toInstant()));
    }
  }

  /** The certificates carried in a detached CMS signature (untrusted), or none if unreadable. */
  public static List<X509Certificate> certificatesOf(byte[] signatureDer) {
    List<X509Certificate> out = new ArrayList<>();
    if (signatureDer == null || signatureDer.length > CmsVerifier.MAX_SIGNATURE_BYTES) {
      return out;
    }
    try {
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> all =
          new CMSSignedData(signatureDer).getCertificates().getMatches(null);
      JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
      for (X509CertificateHolder h : all) {
        if (out.size() == CmsVerifier.MAX_CERTIFICATES) {
          break;
        }
        out.add(conv.getCertificate(h));
      }
    } catch (CMSException | CertificateException | RuntimeException e) {
      // An unreadable bag offers no issuers; a CRL of an intermediate then fails CRL_INVALID.
      return List.of();
    }
    return out;
  }

  /**
   * A stored withdrawal list (verified when it was stored) read again for status only, never for a
   * decision: burns verify it again ({@link ReleaseVerifier#verifyWithdrawals}).
   */
  public static WithdrawalList storedWithdrawals(String where, byte[] document)
      throws ReleaseRejectedException {
    return DocumentCodec.parseWithdrawals(where, document);
  }

  private static X509CRL parseCrl(String where, byte[] der) throws ReleaseRejectedException {
    try {
      return (X509CRL)
          CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (CRLException | CertificateException | RuntimeException e) {
      throw new ReleaseRejectedException(
          Reason.CRL_INVALID, where + " is not a DER or PEM X.509 CRL: " + e.getMessage());
    }
  }

  private static X509Certificate issuerOf(
      String where, X509CRL crl, TrustPolicy policy, List<X509Certificate> bag)
      throws ReleaseRejectedException {
    if (crl.getIssuerX500Principal().equals(policy.root().getSubjectX500Principal())) {
      return policy.root();
    }
    ChainChecks chains = new ChainChecks(where, policy, bag);
    for (X509Certificate c : bag) {
      if (c.getSubjectX500Principal().equals(crl.getIssuerX500Principal())
          && c.getBasicConstraints() >= 0) {
        chains.buildPath(c); // throws unless it chains to the pinned root by signature
        return c;
      }
    }
    throw new ReleaseRejectedException(
        Reason.CRL_INVALID,
        String.format(
            Locale.ROOT,
            "%s is issued by %s, which is neither the release root %s nor a CA certificate"
                + " found in the withdrawal list's signature",
            where,
            crl.getIssuerX500Principal().getName(),
            policy.root().getSubjectX500Principal().getName()));
  }
}
