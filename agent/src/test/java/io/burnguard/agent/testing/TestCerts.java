package io.burnguard.agent.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one certificate builder of the tests: release PKIs (vetting tests, the e2e {@link
 * ReleaseKit}) and TLS PKIs (the test HTTPS server, the fleet tests' private PostgreSQL) are all
 * made here at test time, so a change to how a test certificate looks (an extension, the signature
 * algorithm) is made once.
 *
 * <pre>{@code
 * Issued root = TestCerts.certificate("CN=Root", TestCerts.ec()).ca().selfSigned();
 * Issued leaf = TestCerts.certificate("CN=alice", TestCerts.ec())
 *     .extendedKeyUsage(KeyPurposeId.id_kp_codeSigning).signedBy(root);
 * }</pre>
 */
public final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCerts() {}

  /** A certificate with its key pair. */
  public record Issued(KeyPair keys, X509Certificate cert) {}

  /** A fresh EC P-256 key pair. */
  public static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A fresh RSA key pair of {@code bits}. */
  public static KeyPair rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  /** Starts a certificate for {@code subjectDn} and {@code keys}. */
  public static Spec certificate(String subjectDn, KeyPair keys) {
    return new Spec(subjectDn, keys);
  }

  /** What the certificate will hold; defaults: valid from a day ago for a year, an end entity. */
  public static final class Spec {
    private final String subject;
    private final KeyPair keys;
    private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(365));
    private boolean ca;
    private Integer keyUsage;
    private KeyPurposeId extendedKeyUsage;
    private final List<GeneralName> altNames = new ArrayList<>();

    private Spec(String subject, KeyPair keys) {
      this.subject = Objects.requireNonNull(subject, "subject");
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The validity period. */
    public Spec validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** A CA: basicConstraints cA, keyUsage keyCertSign and cRLSign, a subject key identifier. */
    public Spec ca() {
      this.ca = true;
      return this;
    }

    /** The keyUsage bits ({@link KeyUsage} constants); default digitalSignature for a leaf. */
    public Spec keyUsage(int bits) {
      this.keyUsage = bits;
      return this;
    }

    /** One extended key usage (non-critical); none by default. */
    public Spec extendedKeyUsage(KeyPurposeId purpose) {
      this.extendedKeyUsage = purpose;
      return this;
    }

    /** A subjectAltName iPAddress (a TLS server certificate for that address). */
    public Spec ipAddress(String ip) {
      altNames.add(new GeneralName(GeneralName.iPAddress, ip));
      return this;
    }

    /** A subjectAltName dNSName (a TLS server certificate for that host name). */
    public Spec dnsName(String host) {
      altNames.add(new GeneralName(GeneralName.dNSName, host));
      return this;
    }

    /** A self-signed certificate (a root). */
    public Issued selfSigned() throws Exception {
      return build(new X500Name(subject), keys);
    }

    /** A certificate issued and signed by {@code issuer}. */
    public Issued signedBy(Issued issuer) throws Exception {
      return build(name(issuer.cert()), issuer.keys());
    }

    private Issued build(X500Name issuer, KeyPair signWith) throws Exception {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name(subject),
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      int usage = ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature;
      b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage == null ? usage : keyUsage));
      if (ca) {
        b.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      }
      if (extendedKeyUsage != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage));
      }
      if (!altNames.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(altNames.toArray(new GeneralName[0])));
      }
      return new Issued(
          keys, new JcaX509CertificateConverter().getCertificate(b.build(signer(signWith))));
    }
  }

  /**
   * A CRL of {@code ca} for {@code thisUpdate}..{@code nextUpdate} listing {@code revoked} (reason
   * keyCompromise, revoked at {@code revokedAt}).
   */
  public static X509CRL crl(
      Issued ca,
      Instant thisUpdate,
      Instant nextUpdate,
      List<X509Certificate> revoked,
      Instant revokedAt)
      throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(name(ca.cert()), Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (X509Certificate r : revoked) {
      b.addCRLEntry(r.getSerialNumber(), Date.from(revokedAt), CRLReason.keyCompromise);
    }
    return new JcaX509CRLConverter().getCRL(b.build(signer(ca.keys())));
  }

  /** Writes {@code objects} (certificates, CRLs, keys) as PEM. */
  public static void writePem(Path file, Object... objects) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    }
    Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
  }

  /** A PKCS#12 key store holding {@code key} and {@code chain} under the alias "signer". */
  public static KeyStore pkcs12(PrivateKey key, char[] password, List<X509Certificate> chain)
      throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("signer", key, password, chain.toArray(new X509Certificate[0]));
    return ks;
  }

  /** Writes {@link #pkcs12} to {@code file}. */
  public static void writeP12(
      Path file, PrivateKey key, char[] password, List<X509Certificate> chain) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      pkcs12(key, password, chain).store(out, password);
    }
  }

  private static ContentSigner signer(KeyPair issuer) throws Exception {
    String alg =
        issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaContentSignerBuilder(alg).build(issuer.getPrivate());
  }

  private static X500Name name(X509Certificate c) {
    return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
  }
}
