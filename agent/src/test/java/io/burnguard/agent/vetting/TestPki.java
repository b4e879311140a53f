package io.burnguard.agent.vetting;

import io.burnguard.agent.testing.TestCerts;
import io.burnguard.agent.testing.TestCerts.Issued;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A test PKI generated at test time: release root, intermediate, leaves for every attack, CRLs. All
 * dates are relative to {@link #NOW}, the station clock of the tests.
 */
final class TestPki {
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration YEAR = Duration.ofDays(365);

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
    return TestCerts.ec();
  }

  private static KeyPair rsa(int bits) throws GeneralSecurityException {
    return TestCerts.rsa(bits);
  }

  private static Issued ca(String dn, Issued parent) throws Exception {
    TestCerts.Spec spec =
        TestCerts.certificate(dn, ec())
            .ca()
            .validity(NOW.minus(YEAR.multipliedBy(2)), NOW.plus(YEAR.multipliedBy(5)));
    return parent == null ? spec.selfSigned() : spec.signedBy(parent);
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
    return TestCerts.certificate("CN=" + cn + ",O=BurnGuard Test Release Signers", kp)
        .validity(from, to)
        .keyUsage(digitalSignature ? KeyUsage.digitalSignature : KeyUsage.keyEncipherment)
        .extendedKeyUsage(
            codeSigning ? KeyPurposeId.id_kp_codeSigning : KeyPurposeId.id_kp_emailProtection)
        .signedBy(issuer);
  }

  private static X509CRL crl(
      Issued ca, Instant thisUpdate, Instant nextUpdate, List<Issued> revoked) throws Exception {
    return TestCerts.crl(
        ca,
        thisUpdate,
        nextUpdate,
        revoked.stream().map(Issued::cert).toList(),
        NOW.minus(Duration.ofDays(2)));
  }

  /** Writes {@code objects} as PEM. */
  static void writePem(Path file, Object... objects) throws IOException {
    TestCerts.writePem(file, objects);
  }

  /** Writes the leaf's key and chain as a PKCS#12 file. */
  void writeP12(Issued leaf, Path file, char[] password) throws Exception {
    TestCerts.writeP12(
        file, leaf.keys().getPrivate(), password, List.of(leaf.cert(), intermediate.cert()));
  }
}
