package io.burnguard.agent.vetting;

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
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
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
 * A test PKI generated at test time: release root, intermediate, leaves for every attack, CRLs. All
 * dates are relative to {@link #NOW}, the station clock of the tests.
 */
final class TestPki {
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration YEAR = Duration.ofDays(365);
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** A certificate with its key. */
  record Issued(KeyPair keys, X509Certificate cert) {}

  final Issued root;
  final Issued intermediate;
  final Issued alice;
  final Issued bob;
  final Issued carol;
  final Issued noEku;
  final Issued noDigitalSignature;
  final Issued expired;
  final Issued notYetValid;
  final Issued revoked;
  final Issued weakRsa;
  final Issued rsa;
  final Issued rogueRoot;
  final Issued rogueLeaf;
  final X509CRL rootCrl;
  final X509CRL intermediateCrl;
  final X509CRL expiredIntermediateCrl;

  TestPki() throws Exception {
    root = ca("CN=BurnGuard Test Release Root,O=BurnGuard Test", null);
    intermediate = ca("CN=BurnGuard Test Release CA 1,O=BurnGuard Test", root);
    alice = leaf("alice", ec(), intermediate, true, true, NOW.minus(YEAR), NOW.plus(YEAR));
    bob = leaf("bob", ec(), intermediate, true, true, NOW.minus(YEAR), NOW.plus(YEAR));
    carol = leaf("carol", ec(), intermediate, true, true, NOW.minus(YEAR), NOW.plus(YEAR));
    noEku = leaf("no-eku", ec(), intermediate, false, true, NOW.minus(YEAR), NOW.plus(YEAR));
    noDigitalSignature =
        leaf("no-ds", ec(), intermediate, true, false, NOW.minus(YEAR), NOW.plus(YEAR));
    expired =
        leaf(
            "expired",
            ec(),
            intermediate,
            true,
            true,
            NOW.minus(YEAR),
            NOW.minus(Duration.ofDays(1)));
    notYetValid =
        leaf(
            "future", ec(), intermediate, true, true, NOW.plus(Duration.ofDays(1)), NOW.plus(YEAR));
    revoked = leaf("revoked", ec(), intermediate, true, true, NOW.minus(YEAR), NOW.plus(YEAR));
    weakRsa = leaf("weak", rsa(1024), intermediate, true, true, NOW.minus(YEAR), NOW.plus(YEAR));
    rsa = leaf("rsa-signer", rsa(2048), intermediate, true, true, NOW.minus(YEAR), NOW.plus(YEAR));
    rogueRoot = ca("CN=BurnGuard Test Release Root,O=BurnGuard Test", null);
    rogueLeaf = leaf("alice", ec(), rogueRoot, true, true, NOW.minus(YEAR), NOW.plus(YEAR));
    Instant week = NOW.plus(Duration.ofDays(7));
    rootCrl = crl(root, NOW.minus(Duration.ofDays(1)), week, List.of());
    intermediateCrl = crl(intermediate, NOW.minus(Duration.ofDays(1)), week, List.of(revoked));
    expiredIntermediateCrl =
        crl(
            intermediate,
            NOW.minus(Duration.ofDays(30)),
            NOW.minus(Duration.ofDays(23)),
            List.of());
  }

  /** The strict station policy: both CRLs, threshold 1, no allow-list, no model. */
  TrustPolicy policy() {
    return policy(1, Set.of(), Optional.of("IPC-X1"));
  }

  TrustPolicy policy(int threshold, Set<String> allowed, Optional<String> model) {
    return new TrustPolicy(
        root.cert(),
        List.of(rootCrl, intermediateCrl),
        TrustPolicy.Revocation.REQUIRE_CRL,
        threshold,
        allowed,
        CLOCK,
        model);
  }

  TrustPolicy withCrls(List<X509CRL> crls) {
    return new TrustPolicy(
        root.cert(),
        crls,
        TrustPolicy.Revocation.REQUIRE_CRL,
        1,
        Set.of(),
        CLOCK,
        Optional.of("IPC-X1"));
  }

  ReleaseSigner.SigningKey key(Issued leaf) {
    return new ReleaseSigner.SigningKey(
        leaf.keys().getPrivate(), List.of(leaf.cert(), intermediate.cert()));
  }

  private static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static KeyPair rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  private static ContentSigner signer(KeyPair issuer) throws Exception {
    return new JcaContentSignerBuilder(
            issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
        .build(issuer.getPrivate());
  }

  private static Issued ca(String dn, Issued parent) throws Exception {
    KeyPair kp = ec();
    X500Name issuer = parent == null ? new X500Name(dn) : name(parent.cert());
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(NOW.minus(YEAR.multipliedBy(2))),
            Date.from(NOW.plus(YEAR.multipliedBy(5))),
            new X500Name(dn),
            kp.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
    KeyPair signWith = parent == null ? kp : parent.keys();
    return new Issued(
        kp, new JcaX509CertificateConverter().getCertificate(b.build(signer(signWith))));
  }

  private static Issued leaf(
      String cn,
      KeyPair kp,
      Issued issuer,
      boolean codeSigning,
      boolean digitalSignature,
      Instant from,
      Instant to)
      throws Exception {
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name(issuer.cert()),
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(from),
            Date.from(to),
            new X500Name("CN=" + cn + ",O=BurnGuard Test Release Signers"),
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(digitalSignature ? KeyUsage.digitalSignature : KeyUsage.keyEncipherment));
    b.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            codeSigning ? KeyPurposeId.id_kp_codeSigning : KeyPurposeId.id_kp_emailProtection));
    return new Issued(
        kp, new JcaX509CertificateConverter().getCertificate(b.build(signer(issuer.keys()))));
  }

  private static X509CRL crl(
      Issued ca, Instant thisUpdate, Instant nextUpdate, List<Issued> revoked) throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(name(ca.cert()), Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (Issued r : revoked) {
      b.addCRLEntry(
          r.cert().getSerialNumber(),
          Date.from(NOW.minus(Duration.ofDays(2))),
          CRLReason.keyCompromise);
    }
    return new JcaX509CRLConverter().getCRL(b.build(signer(ca.keys())));
  }

  private static X500Name name(X509Certificate c) {
    return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
  }

  /** Writes {@code objects} as PEM. */
  static void writePem(Path file, Object... objects) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    }
    Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
  }

  /** Writes the leaf's key and chain as a PKCS#12 file. */
  void writeP12(Issued leaf, Path file, char[] password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    List<Certificate> chain = new ArrayList<>(List.of(leaf.cert(), intermediate.cert()));
    ks.setKeyEntry("signer", leaf.keys().getPrivate(), password, chain.toArray(new Certificate[0]));
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password);
    }
  }
}
