package io.burnguard.agent.vetting;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Verifies a detached CMS SignedData over exact document bytes (manifest or withdrawal list).
 *
 * <p>Design. The checks run stage by stage across all SignerInfos in the order issue 3 gives: parse
 * limits, signatures (with the algorithm allow-list and messageDigest), chain to the pinned root,
 * key usage and EKU, validity, CRL revocation, signer allow-list, threshold of distinct keys. Every
 * SignerInfo present must pass every stage: one bad signature refuses the document
 * (docs/architecture.md), it is not merely left uncounted, because a forged extra signature means
 * the document was handled by someone who should not have touched it.
 *
 * <p>Threats: garbage or truncated DER (parse limits, strict single DER object), algorithm
 * downgrade (allow-list), a changed manifest (messageDigest), a rogue CA with the root's name
 * (signature checks against the pinned key, {@link ChainChecks}), the same key counted twice
 * (threshold counts SubjectPublicKeyInfo digests).
 */
final class CmsVerifier {
  /** Larger than any real signature (16 signers with chains); refuses junk before parsing. */
  static final int MAX_SIGNATURE_BYTES = 256 * 1024;

  static final int MAX_SIGNERS = 16;
  static final int MAX_CERTIFICATES = 32;

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private CmsVerifier() {}

  /**
   * Verifies {@code signatureDer} over {@code content} under {@code policy}.
   *
   * @param what the document name for messages, e.g. {@code releases/x/1.0/manifest.json}
   * @return the signers, one per distinct key
   */
  static List<SignerIdentity> verify(
      String what, byte[] content, byte[] signatureDer, TrustPolicy policy)
      throws ReleaseRejectedException {
    CMSSignedData cms = parse(what, content, signatureDer);
    List<Signer> signers = signers(what, cms);
    for (Signer s : signers) {
      checkSignature(what, s);
    }
    ChainChecks chains = new ChainChecks(what, policy, certificates(what, cms));
    for (Signer s : signers) {
      s.path = chains.buildPath(s.cert);
    }
    for (Signer s : signers) {
      ChainChecks.checkUsage(what, s.cert);
    }
    for (Signer s : signers) {
      chains.checkValidity(s.path);
    }
    for (Signer s : signers) {
      chains.checkRevocation(s.path);
    }
    Map<String, SignerIdentity> byKey = new LinkedHashMap<>();
    for (Signer s : signers) {
      SignerIdentity id = ChainChecks.identity(s.cert);
      if (!policy.allowedSigners().isEmpty()
          && !policy.allowedSigners().contains(id.commonName())) {
        throw new ReleaseRejectedException(
            Reason.SIGNER_NOT_ALLOWED,
            String.format(
                Locale.ROOT,
                "%s is signed by '%s', which is not among the allowed signers %s",
                what,
                id.commonName(),
                new java.util.TreeSet<>(policy.allowedSigners())));
      }
      byKey.putIfAbsent(id.keySha256(), id);
    }
    if (byKey.size() < policy.threshold()) {
      throw new ReleaseRejectedException(
          Reason.THRESHOLD_NOT_MET,
          String.format(
              Locale.ROOT,
              "%s has %d signature(s) from %d distinct key(s); this station needs %d",
              what,
              signers.size(),
              byKey.size(),
              policy.threshold()));
    }
    return List.copyOf(byKey.values());
  }

  /** One SignerInfo with its certificate and, once built, its path to the root. */
  private static final class Signer {
    final SignerInformation info;
    final X509Certificate cert;
    List<X509Certificate> path;

    Signer(SignerInformation info, X509Certificate cert) {
      this.info = info;
      this.cert = cert;
    }
  }

  private static CMSSignedData parse(String what, byte[] content, byte[] der)
      throws ReleaseRejectedException {
    if (der.length > MAX_SIGNATURE_BYTES) {
      throw new ReleaseRejectedException(
          Reason.DOCUMENT_TOO_LARGE,
          String.format(
              Locale.ROOT,
              "the signature of %s is %d bytes; the limit is %d",
              what,
              der.length,
              MAX_SIGNATURE_BYTES));
    }
    try (ASN1InputStream in = new ASN1InputStream(new ByteArrayInputStream(der), der.length)) {
      ASN1Primitive obj = in.readObject();
      if (obj == null || in.readObject() != null) {
        throw malformed(what, "expected exactly one DER object");
      }
      ContentInfo ci = ContentInfo.getInstance(obj);
      if (!CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
        throw malformed(what, "content type is " + ci.getContentType().getId());
      }
      SignedData sd = SignedData.getInstance(ci.getContent());
      if (!CMSObjectIdentifiers.data.equals(sd.getEncapContentInfo().getContentType())) {
        throw unsupported(what, "encapsulated content type is not id-data");
      }
      if (sd.getEncapContentInfo().getContent() != null) {
        throw unsupported(what, "the signature carries its own content (not detached)");
      }
      return new CMSSignedData(new CMSProcessableByteArray(content), ci);
    } catch (IOException | CMSException | RuntimeException e) {
      // Truncated DER, wrong tags, bad lengths: BC reports these as IOException or runtime
      // exceptions (IllegalArgumentException, ASN1ParsingException); all are one refusal.
      throw malformed(what, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static List<Signer> signers(String what, CMSSignedData cms)
      throws ReleaseRejectedException {
    Collection<SignerInformation> infos = cms.getSignerInfos().getSigners();
    if (infos.isEmpty() || infos.size() > MAX_SIGNERS) {
      throw malformed(
          what,
          String.format(
              Locale.ROOT, "%d SignerInfos; expected 1 to %d", infos.size(), MAX_SIGNERS));
    }
    List<Signer> out = new ArrayList<>();
    for (SignerInformation si : infos) {
      Algorithms.checkSignerInfo(
          si.getDigestAlgorithmID(), si.toASN1Structure().getDigestEncryptionAlgorithm());
      if (si.getSignedAttributes() == null) {
        throw unsupported(what, "a SignerInfo has no signed attributes (no messageDigest)");
      }
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> match = cms.getCertificates().getMatches(si.getSID());
      if (match.size() != 1) {
        throw malformed(
            what,
            "the certificate of signer "
                + si.getSID().getIssuer()
                + " serial "
                + si.getSID().getSerialNumber()
                + " is not included in the signature ("
                + match.size()
                + " matches)");
      }
      X509Certificate cert = toX509(what, match.iterator().next());
      Algorithms.checkKey(cert.getPublicKey(), cert.getSubjectX500Principal().getName());
      out.add(new Signer(si, cert));
    }
    return out;
  }

  private static void checkSignature(String what, Signer s) throws ReleaseRejectedException {
    String who = s.cert.getSubjectX500Principal().getName();
    try {
      // Verifier built from the bare public key: certificate validity is judged later, at the
      // station's clock, not at the signer-supplied signingTime.
      boolean ok =
          s.info.verify(
              new JcaSimpleSignerInfoVerifierBuilder()
                  .setProvider(BC)
                  .build(s.cert.getPublicKey()));
      if (!ok) {
        throw new ReleaseRejectedException(
            Reason.BAD_SIGNATURE, "the signature by " + who + " on " + what + " does not verify");
      }
    } catch (CMSSignerDigestMismatchException e) {
      throw new ReleaseRejectedException(
          Reason.MANIFEST_DIGEST_MISMATCH,
          "the messageDigest signed by " + who + " does not match the bytes of " + what,
          e);
    } catch (CMSException | OperatorCreationException | RuntimeException e) {
      throw new ReleaseRejectedException(
          Reason.BAD_SIGNATURE,
          "the signature by " + who + " on " + what + " does not verify: " + e.getMessage(),
          e);
    }
  }

  private static List<X509Certificate> certificates(String what, CMSSignedData cms)
      throws ReleaseRejectedException {
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> all = cms.getCertificates().getMatches(null);
    if (all.size() > MAX_CERTIFICATES) {
      throw malformed(
          what,
          String.format(
              Locale.ROOT, "%d certificates; the limit is %d", all.size(), MAX_CERTIFICATES));
    }
    List<X509Certificate> out = new ArrayList<>();
    for (X509CertificateHolder h : all) {
      out.add(toX509(what, h));
    }
    return out;
  }

  private static X509Certificate toX509(String what, X509CertificateHolder h)
      throws ReleaseRejectedException {
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw malformed(what, "a certificate cannot be decoded: " + e.getMessage());
    }
  }

  private static ReleaseRejectedException malformed(String what, String found) {
    return new ReleaseRejectedException(
        Reason.CMS_MALFORMED,
        "the signature of " + what + " is not a valid DER CMS SignedData (" + found + ")");
  }

  private static ReleaseRejectedException unsupported(String what, String found) {
    return new ReleaseRejectedException(
        Reason.CMS_UNSUPPORTED, "the signature of " + what + ": " + found);
  }
}
