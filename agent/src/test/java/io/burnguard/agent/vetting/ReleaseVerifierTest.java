package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.testing.TestCerts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** One generated case per attack of issue 3; each asserts its {@link Reason}. */
class ReleaseVerifierTest {
  static TestPki pki;
  static final byte[] image = randomImage();
  @TempDir Path dir;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  static byte[] randomImage() {
    byte[] b = new byte[100_000];
    new Random(3).nextBytes(b);
    return b;
  }

  static Manifest manifest(String version, boolean allowDowngrade) throws Exception {
    return new Manifest(
        "ipc-x1-main",
        version,
        List.of("IPC-X1", "IPC-X1P"),
        "ipc-x1-main.bin",
        image.length,
        ReleaseVerifier.sha256(new java.io.ByteArrayInputStream(image)),
        TestPki.NOW.minus(Duration.ofHours(1)),
        allowDowngrade);
  }

  static byte[] manifestBytes() throws Exception {
    return ReleaseSigner.manifestBytes(manifest("5.4.1", false));
  }

  static byte[] sign(byte[] content, TestCerts.Issued... leaves) throws Exception {
    return ReleaseSigner.sign(content, Arrays.stream(leaves).map(pki::key).toList());
  }

  static VerifiedRelease offline(TrustPolicy p, byte[] m, byte[] sig) throws Exception {
    return ReleaseVerifier.verifyOffline(p, "manifest.json", m, sig);
  }

  static void assertReason(Reason expected, Executable e) {
    ReleaseRejectedException x = assertThrows(ReleaseRejectedException.class, e);
    assertEquals(expected, x.reason(), x.getMessage());
    assertTrue(x.getMessage().endsWith(expected.advice()), x.getMessage());
  }

  @Test
  void goodReleaseSingleAndMultiSignerVerifies() throws Exception {
    byte[] m = manifestBytes();
    VerifiedRelease one = offline(pki.policy(), m, sign(m, pki.alice));
    assertEquals("alice", one.signers().get(0).commonName());
    VerifiedRelease two =
        offline(
            pki.policy(2, Set.of("alice", "bob"), Optional.of("IPC-X1P")),
            m,
            sign(m, pki.alice, pki.bob));
    assertEquals(2, two.signers().size());
    Path img = Files.write(dir.resolve("ipc-x1-main.bin"), image);
    ReleaseVerifier.checkImage(two.manifest(), img);
  }

  @Test
  void rsaSignerVerifies() throws Exception {
    byte[] m = manifestBytes();
    VerifiedRelease r = offline(pki.policy(), m, sign(m, pki.rsa));
    assertEquals(1, r.signers().size(), r.signers().toString());
    SignerIdentity s = r.signers().get(0);
    X509Certificate cert = pki.rsa.cert();
    assertEquals("RSA", cert.getPublicKey().getAlgorithm());
    assertEquals("rsa-signer", s.commonName());
    assertEquals(cert.getSubjectX500Principal().getName(), s.subject());
    assertEquals(pki.intermediate.cert().getSubjectX500Principal().getName(), s.issuer());
    assertEquals(cert.getSerialNumber().toString(16), s.serialHex().toLowerCase(Locale.ROOT));
    assertEquals(
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded())),
        s.keySha256().toLowerCase(Locale.ROOT));
    assertEquals(cert.getNotAfter().toInstant(), s.notAfter());
    assertEquals(manifest("5.4.1", false), r.manifest());
    assertArrayEquals(m, r.manifestBytes());
    assertEquals(
        List.of(
            "rollback against the station's highest version (offline)",
            "withdrawal list (offline)"),
        r.skipped());
  }

  @Test
  void tamperedManifest() throws Exception {
    byte[] m = manifestBytes();
    byte[] sig = sign(m, pki.alice);
    byte[] evil =
        new String(m, StandardCharsets.UTF_8)
            .replace("IPC-X1P", "IPC-X9P")
            .getBytes(StandardCharsets.UTF_8);
    assertReason(Reason.MANIFEST_DIGEST_MISMATCH, () -> offline(pki.policy(), evil, sig));
  }

  @Test
  void tamperedImage() throws Exception {
    byte[] evil = image.clone();
    evil[500] ^= 1;
    Path img = Files.write(dir.resolve("img"), evil);
    assertReason(
        Reason.IMAGE_DIGEST_MISMATCH,
        () -> ReleaseVerifier.checkImage(manifest("5.4.1", false), img));
  }

  @Test
  void wrongLength() throws Exception {
    Path img = Files.write(dir.resolve("img"), Arrays.copyOf(image, image.length - 1));
    assertReason(
        Reason.IMAGE_LENGTH_MISMATCH,
        () -> ReleaseVerifier.checkImage(manifest("5.4.1", false), img));
  }

  @Test
  void oneBadSignatureAmongGoodOnesRefuses() throws Exception {
    byte[] m = manifestBytes();
    // bob's key under alice's certificate: a SignerInfo that cannot verify.
    ReleaseSigner.SigningKey forged =
        new ReleaseSigner.SigningKey(
            pki.bob.keys().getPrivate(), List.of(pki.carol.cert(), pki.intermediate.cert()));
    byte[] sig = ReleaseSigner.sign(m, List.of(pki.key(pki.alice), forged));
    assertReason(Reason.BAD_SIGNATURE, () -> offline(pki.policy(), m, sig));
  }

  @Test
  void untrustedRoot() throws Exception {
    byte[] m = manifestBytes();
    byte[] sig =
        ReleaseSigner.sign(
            m,
            List.of(
                new ReleaseSigner.SigningKey(
                    pki.rogueLeaf.keys().getPrivate(),
                    List.of(pki.rogueLeaf.cert(), pki.rogueRoot.cert()))));
    assertReason(Reason.UNTRUSTED_CHAIN, () -> offline(pki.policy(), m, sig));
  }

  @Test
  void missingIntermediate() throws Exception {
    byte[] m = manifestBytes();
    byte[] sig =
        ReleaseSigner.sign(
            m,
            List.of(
                new ReleaseSigner.SigningKey(
                    pki.alice.keys().getPrivate(), List.of(pki.alice.cert()))));
    assertReason(Reason.UNTRUSTED_CHAIN, () -> offline(pki.policy(), m, sig));
  }

  @Test
  void expiredLeaf() throws Exception {
    byte[] m = manifestBytes();
    assertReason(Reason.CERT_EXPIRED, () -> offline(pki.policy(), m, sign(m, pki.expired)));
  }

  @Test
  void notYetValidLeaf() throws Exception {
    byte[] m = manifestBytes();
    assertReason(
        Reason.CERT_NOT_YET_VALID, () -> offline(pki.policy(), m, sign(m, pki.notYetValid)));
  }

  @Test
  void leafWithoutCodeSigning() throws Exception {
    byte[] m = manifestBytes();
    assertReason(Reason.NOT_CODE_SIGNING, () -> offline(pki.policy(), m, sign(m, pki.noEku)));
  }

  @Test
  void leafWithoutDigitalSignature() throws Exception {
    byte[] m = manifestBytes();
    assertReason(
        Reason.KEY_USAGE_MISSING, () -> offline(pki.policy(), m, sign(m, pki.noDigitalSignature)));
  }

  @Test
  void revokedLeaf() throws Exception {
    byte[] m = manifestBytes();
    assertReason(Reason.REVOKED, () -> offline(pki.policy(), m, sign(m, pki.revoked)));
  }

  @Test
  void missingCrl() throws Exception {
    byte[] m = manifestBytes();
    byte[] sig = sign(m, pki.alice);
    assertReason(Reason.CRL_MISSING, () -> offline(pki.withCrls(List.of()), m, sig));
    // The intermediate's CRL alone does not cover the intermediate itself.
    assertReason(
        Reason.CRL_MISSING, () -> offline(pki.withCrls(List.of(pki.intermediateCrl)), m, sig));
  }

  @Test
  void expiredCrl() throws Exception {
    byte[] m = manifestBytes();
    byte[] sig = sign(m, pki.alice);
    List<X509CRL> crls = List.of(pki.rootCrl, pki.expiredIntermediateCrl);
    assertReason(Reason.CRL_EXPIRED, () -> offline(pki.withCrls(crls), m, sig));
  }

  @Test
  void crlSignedByAnotherCaIsIgnored() throws Exception {
    byte[] m = manifestBytes();
    byte[] sig = sign(m, pki.alice);
    // The root's CRL placed where the intermediate's belongs: wrong issuer, so still missing.
    assertReason(Reason.CRL_MISSING, () -> offline(pki.withCrls(List.of(pki.rootCrl)), m, sig));
  }

  @Test
  void signerNotOnAllowList() throws Exception {
    byte[] m = manifestBytes();
    TrustPolicy p = pki.policy(1, Set.of("alice", "bob"), Optional.of("IPC-X1"));
    assertReason(Reason.SIGNER_NOT_ALLOWED, () -> offline(p, m, sign(m, pki.carol)));
  }

  @Test
  void sameKeyTwiceCountsOnce() throws Exception {
    byte[] m = manifestBytes();
    TrustPolicy p = pki.policy(2, Set.of(), Optional.of("IPC-X1"));
    assertReason(Reason.THRESHOLD_NOT_MET, () -> offline(p, m, sign(m, pki.alice, pki.alice)));
    assertReason(Reason.THRESHOLD_NOT_MET, () -> offline(p, m, sign(m, pki.alice)));
    assertEquals(2, offline(p, m, sign(m, pki.alice, pki.bob)).signers().size());
  }

  @Test
  void wrongModel() throws Exception {
    byte[] m = manifestBytes();
    TrustPolicy p = pki.policy(1, Set.of(), Optional.of("NVR-9"));
    assertReason(Reason.MODEL_NOT_LISTED, () -> offline(p, m, sign(m, pki.alice)));
  }

  @Test
  void weakKey() throws Exception {
    byte[] m = manifestBytes();
    assertReason(Reason.WEAK_ALGORITHM, () -> offline(pki.policy(), m, sign(m, pki.weakRsa)));
  }

  @Test
  void oversizedManifest() throws Exception {
    byte[] big = new byte[DocumentCodec.MAX_MANIFEST_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    assertReason(Reason.DOCUMENT_TOO_LARGE, () -> offline(pki.policy(), big, new byte[10]));
  }

  @Test
  void oversizedSignature() throws Exception {
    byte[] m = manifestBytes();
    assertReason(
        Reason.DOCUMENT_TOO_LARGE,
        () -> offline(pki.policy(), m, new byte[CmsVerifier.MAX_SIGNATURE_BYTES + 1]));
  }

  @Test
  void truncatedDer() throws Exception {
    byte[] m = manifestBytes();
    byte[] sig = sign(m, pki.alice);
    for (int cut : new int[] {0, 1, 2, 10, sig.length / 2, sig.length - 1}) {
      byte[] t = Arrays.copyOf(sig, cut);
      assertReason(Reason.CMS_MALFORMED, () -> offline(pki.policy(), m, t));
    }
  }

  @Test
  void garbageDer() throws Exception {
    byte[] m = manifestBytes();
    byte[] junk = new byte[2000];
    new Random(7).nextBytes(junk);
    assertReason(Reason.CMS_MALFORMED, () -> offline(pki.policy(), m, junk));
    byte[] sig = sign(m, pki.alice);
    byte[] trailing = Arrays.copyOf(sig, sig.length + 2);
    assertReason(Reason.CMS_MALFORMED, () -> offline(pki.policy(), m, trailing));
    assertReason(
        Reason.CMS_MALFORMED,
        () -> offline(pki.policy(), m, "not DER at all".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void attachedContentIsRefused() throws Exception {
    byte[] m = manifestBytes();
    CMSSignedData detached = new CMSSignedData(new CMSProcessableByteArray(m), sign(m, pki.alice));
    CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
    gen.addSigners(detached.getSignerInfos());
    gen.addCertificates(detached.getCertificates());
    byte[] attached = gen.generate(new CMSProcessableByteArray(m), true).getEncoded("DER");
    assertReason(Reason.CMS_UNSUPPORTED, () -> offline(pki.policy(), m, attached));
  }

  @Test
  void invalidManifestSchemaAfterGoodSignature() throws Exception {
    byte[] m =
        "{\"type\":\"burnguard-release\",\"schemaVersion\":1,\"name\":\"x\",\"name\":\"y\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertReason(Reason.MANIFEST_INVALID, () -> offline(pki.policy(), m, sign(m, pki.alice)));
  }
}
