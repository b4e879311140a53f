package io.burnguard.agent.vetting;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Chain, usage, validity and revocation checks for one document's signers.
 *
 * <p>Design. The path is built by hand (issuer name plus a signature check against the next
 * certificate's key, ending at the pinned root's key) so each failure gets its own reason code in
 * the order issue 3 gives. After validity, the JDK's PKIX validator re-checks the built path at the
 * station's clock for the structural rules we do not re-implement (basic constraints, path length,
 * critical extensions, CA key usage). Revocation uses only the configured CRLs, each verified
 * against its issuer's key, and fails closed: no current CRL for an issuer refuses. A certificate
 * is revoked if any current CRL of its issuer lists it, so an older CRL cannot hide a newer
 * revocation.
 */
final class ChainChecks {
  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private static final int MAX_DEPTH = 6;
  private static final int KU_DIGITAL_SIGNATURE = 0;
  private static final int KU_CRL_SIGN = 6;

  private final String what;
  private final TrustPolicy policy;
  private final List<X509Certificate> bag;

  ChainChecks(String what, TrustPolicy policy, List<X509Certificate> bag) {
    this.what = what;
    this.policy = policy;
    this.bag = bag;
  }

  /** The path leaf first, pinned root last; refuses when it does not end at the root's key. */
  List<X509Certificate> buildPath(X509Certificate leaf) throws ReleaseRejectedException {
    List<X509Certificate> path = new ArrayList<>();
    X509Certificate cur = leaf;
    while (path.size() < MAX_DEPTH) {
      path.add(cur);
      if (cur.getIssuerX500Principal().equals(policy.root().getSubjectX500Principal())
          && signedBy(cur, policy.root())) {
        path.add(policy.root());
        return path;
      }
      X509Certificate next = null;
      for (X509Certificate c : bag) {
        if (!path.contains(c)
            && c.getSubjectX500Principal().equals(cur.getIssuerX500Principal())
            && signedBy(cur, c)) {
          next = c;
          break;
        }
      }
      if (next == null) {
        break;
      }
      cur = next;
    }
    throw new ReleaseRejectedException(
        Reason.UNTRUSTED_CHAIN,
        String.format(
            Locale.ROOT,
            "the signer %s of %s does not chain to the pinned release root %s (path stops at"
                + " issuer %s)",
            leaf.getSubjectX500Principal().getName(),
            what,
            policy.root().getSubjectX500Principal().getName(),
            cur.getIssuerX500Principal().getName()));
  }

  /** Leaf keyUsage digitalSignature and EKU codeSigning (RFC 5280 4.2.1.3, 4.2.1.12). */
  static void checkUsage(String what, X509Certificate leaf) throws ReleaseRejectedException {
    String who = leaf.getSubjectX500Principal().getName();
    boolean[] ku = leaf.getKeyUsage();
    if (ku == null || !ku[KU_DIGITAL_SIGNATURE]) {
      throw new ReleaseRejectedException(
          Reason.KEY_USAGE_MISSING,
          "the signer certificate " + who + " of " + what + " lacks keyUsage digitalSignature");
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      eku = null;
    }
    if (eku == null || !eku.contains(CODE_SIGNING)) {
      throw new ReleaseRejectedException(
          Reason.NOT_CODE_SIGNING,
          "the signer certificate "
              + who
              + " of "
              + what
              + " has extendedKeyUsage "
              + (eku == null ? "(none)" : eku)
              + "; expected codeSigning ("
              + CODE_SIGNING
              + ")");
    }
  }

  /** Every certificate valid at the station's clock, then PKIX structure at that time. */
  void checkValidity(List<X509Certificate> path) throws ReleaseRejectedException {
    Date now = Date.from(policy.clock().instant());
    for (X509Certificate c : path) {
      String who = c.getSubjectX500Principal().getName();
      try {
        c.checkValidity(now);
      } catch (CertificateExpiredException e) {
        throw new ReleaseRejectedException(
            Reason.CERT_EXPIRED,
            String.format(
                Locale.ROOT,
                "the certificate %s in the chain of %s expired at %s; station time is %s",
                who,
                what,
                c.getNotAfter().toInstant(),
                now.toInstant()));
      } catch (CertificateNotYetValidException e) {
        throw new ReleaseRejectedException(
            Reason.CERT_NOT_YET_VALID,
            String.format(
                Locale.ROOT,
                "the certificate %s in the chain of %s is valid from %s; station time is %s",
                who,
                what,
                c.getNotBefore().toInstant(),
                now.toInstant()));
      }
    }
    for (X509Certificate c : path.subList(0, path.size() - 1)) {
      Algorithms.checkCertificate(c);
    }
    pkix(path, now);
  }

  private void pkix(List<X509Certificate> path, Date now) throws ReleaseRejectedException {
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(policy.root(), null)));
      params.setRevocationEnabled(false);
      params.setDate(now);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      CertPathValidator.getInstance("PKIX")
          .validate(cf.generateCertPath(path.subList(0, path.size() - 1)), params);
    } catch (CertPathValidatorException e) {
      throw new ReleaseRejectedException(
          Reason.CHAIN_INVALID,
          "the chain of " + what + " is not a valid certification path: " + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's PKIX validator is unavailable", e);
    }
  }

  /** Fail-closed CRL check of every certificate below the root. */
  void checkRevocation(List<X509Certificate> path) throws ReleaseRejectedException {
    if (policy.revocation() == TrustPolicy.Revocation.NONE) {
      return;
    }
    Instant now = policy.clock().instant();
    for (int i = 0; i < path.size() - 1; i++) {
      X509Certificate cert = path.get(i);
      X509Certificate issuer = path.get(i + 1);
      int current = 0;
      int stale = 0;
      for (X509CRL crl : policy.crls()) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
            || !crlSignedBy(crl, issuer)) {
          continue;
        }
        Date next = crl.getNextUpdate();
        if (crl.getThisUpdate().toInstant().isAfter(now)
            || next == null
            || !next.toInstant().isAfter(now)) {
          stale++;
          continue;
        }
        current++;
        if (crl.getRevokedCertificate(cert) != null) {
          throw new ReleaseRejectedException(
              Reason.REVOKED,
              String.format(
                  Locale.ROOT,
                  "the certificate %s (serial %s) in the chain of %s was revoked at %s by the"
                      + " CRL of %s",
                  cert.getSubjectX500Principal().getName(),
                  cert.getSerialNumber().toString(16),
                  what,
                  crl.getRevokedCertificate(cert).getRevocationDate().toInstant(),
                  issuer.getSubjectX500Principal().getName()));
        }
      }
      if (current == 0) {
        throw new ReleaseRejectedException(
            stale > 0 ? Reason.CRL_EXPIRED : Reason.CRL_MISSING,
            String.format(
                Locale.ROOT,
                "no current CRL from %s to check %s in the chain of %s (%d expired or not yet"
                    + " valid CRL(s) found); station time is %s",
                issuer.getSubjectX500Principal().getName(),
                cert.getSubjectX500Principal().getName(),
                what,
                stale,
                now));
      }
    }
  }

  static SignerIdentity identity(X509Certificate cert) {
    try {
      String spki =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
      return new SignerIdentity(
          commonName(cert),
          cert.getSubjectX500Principal().getName(),
          cert.getIssuerX500Principal().getName(),
          cert.getSerialNumber().toString(16),
          spki,
          cert.getNotAfter().toInstant());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private static String commonName(X509Certificate cert) {
    try {
      List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
          return String.valueOf(rdns.get(i).getValue());
        }
      }
    } catch (InvalidNameException e) {
      // fall through: no usable CN
    }
    return "";
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static boolean crlSignedBy(X509CRL crl, X509Certificate issuer) {
    boolean[] ku = issuer.getKeyUsage();
    if ((ku != null && !ku[KU_CRL_SIGN]) || !Algorithms.certSignatureAllowed(crl.getSigAlgOID())) {
      return false;
    }
    try {
      crl.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
