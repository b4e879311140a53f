package io.burnguard.agent.vetting;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The algorithm allow-list (issue 3, "Verifier"): RSA >= 2048 with PKCS#1 v1.5 or PSS, ECDSA on
 * P-256/P-384, Ed25519; SHA-256 or stronger. Anything else is refused as {@link
 * Reason#WEAK_ALGORITHM}, so a downgrade to SHA-1 or a 1024-bit key cannot ride in a valid CMS.
 */
final class Algorithms {
  private Algorithms() {}

  static final Set<ASN1ObjectIdentifier> DIGESTS =
      Set.of(
          NISTObjectIdentifiers.id_sha256,
          NISTObjectIdentifiers.id_sha384,
          NISTObjectIdentifiers.id_sha512);

  /** SignerInfo signatureAlgorithm values (OpenSSL writes rsaEncryption for PKCS#1 v1.5). */
  private static final Set<ASN1ObjectIdentifier> SIGNATURES =
      Set.of(
          PKCSObjectIdentifiers.rsaEncryption,
          PKCSObjectIdentifiers.sha256WithRSAEncryption,
          PKCSObjectIdentifiers.sha384WithRSAEncryption,
          PKCSObjectIdentifiers.sha512WithRSAEncryption,
          PKCSObjectIdentifiers.id_RSASSA_PSS,
          X9ObjectIdentifiers.ecdsa_with_SHA256,
          X9ObjectIdentifiers.ecdsa_with_SHA384,
          X9ObjectIdentifiers.ecdsa_with_SHA512,
          X9ObjectIdentifiers.id_ecPublicKey,
          EdECObjectIdentifiers.id_Ed25519);

  /** Certificate and CRL signature algorithms. */
  private static final Set<String> CERT_SIGNATURES =
      Set.of(
          PKCSObjectIdentifiers.sha256WithRSAEncryption.getId(),
          PKCSObjectIdentifiers.sha384WithRSAEncryption.getId(),
          PKCSObjectIdentifiers.sha512WithRSAEncryption.getId(),
          PKCSObjectIdentifiers.id_RSASSA_PSS.getId(),
          X9ObjectIdentifiers.ecdsa_with_SHA256.getId(),
          X9ObjectIdentifiers.ecdsa_with_SHA384.getId(),
          X9ObjectIdentifiers.ecdsa_with_SHA512.getId(),
          EdECObjectIdentifiers.id_Ed25519.getId());

  private static final Set<ASN1ObjectIdentifier> CURVES =
      Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1);

  static void checkSignerInfo(AlgorithmIdentifier digest, AlgorithmIdentifier signature)
      throws ReleaseRejectedException {
    if (!DIGESTS.contains(digest.getAlgorithm())) {
      throw weak("digest algorithm " + digest.getAlgorithm().getId());
    }
    ASN1ObjectIdentifier sig = signature.getAlgorithm();
    if (!SIGNATURES.contains(sig)) {
      throw weak("signature algorithm " + sig.getId());
    }
    if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(sig)) {
      RSASSAPSSparams pss = RSASSAPSSparams.getInstance(signature.getParameters());
      if (!DIGESTS.contains(pss.getHashAlgorithm().getAlgorithm())) {
        throw weak("RSASSA-PSS hash " + pss.getHashAlgorithm().getAlgorithm().getId());
      }
    }
  }

  static void checkCertificate(X509Certificate cert) throws ReleaseRejectedException {
    if (!CERT_SIGNATURES.contains(cert.getSigAlgOID())) {
      throw weak(
          "certificate signature algorithm "
              + cert.getSigAlgName()
              + " on "
              + cert.getSubjectX500Principal().getName());
    }
    checkKey(cert.getPublicKey(), cert.getSubjectX500Principal().getName());
  }

  static boolean certSignatureAllowed(String oid) {
    return CERT_SIGNATURES.contains(oid);
  }

  static void checkKey(PublicKey key, String owner) throws ReleaseRejectedException {
    if (key instanceof RSAPublicKey) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < 2048) {
        throw weak(String.format(Locale.ROOT, "%d-bit RSA key of %s", bits, owner));
      }
      return;
    }
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
    ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
    if (EdECObjectIdentifiers.id_Ed25519.equals(alg)) {
      return;
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg)
        && spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier
        && CURVES.contains((ASN1ObjectIdentifier) spki.getAlgorithm().getParameters())) {
      return;
    }
    throw weak("key type " + alg.getId() + " of " + owner);
  }

  private static ReleaseRejectedException weak(String what) {
    return new ReleaseRejectedException(
        Reason.WEAK_ALGORITHM, "found " + what + "; expected an algorithm on the allow-list");
  }
}
