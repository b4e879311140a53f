package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.burnguard.agent.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the real OpenSSL: signatures made by {@code openssl cms -sign -binary -outform DER}
 * (one and several -signer/-inkey pairs) verify with our code, and ours verify with {@code openssl
 * cms -verify}.
 */
class OpensslInteropIT {
  static TestPki pki;
  @TempDir static Path dir;
  static byte[] manifest;

  @BeforeAll
  static void setUp() throws Exception {
    Openssl.require();
    pki = new TestPki();
    manifest = ReleaseVerifierTest.manifestBytes();
    Files.write(dir.resolve("manifest.json"), manifest);
    TestPki.writePem(dir.resolve("root.pem"), pki.root.cert());
    TestPki.writePem(dir.resolve("intermediate.pem"), pki.intermediate.cert());
    for (TestCerts.Issued i : List.of(pki.alice, pki.bob, pki.rsa, pki.revoked)) {
      String cn = ChainChecks.identity(i.cert()).commonName();
      TestPki.writePem(dir.resolve(cn + ".pem"), i.cert());
      TestPki.writePem(
          dir.resolve(cn + ".key"),
          new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(i.keys().getPrivate(), null));
    }
  }

  private static byte[] opensslSign(String out, String... signers) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "cms",
                "-sign",
                "-binary",
                "-outform",
                "DER",
                "-md",
                "sha256",
                "-in",
                "manifest.json",
                "-certfile",
                "intermediate.pem",
                "-out",
                out));
    for (String s : signers) {
      args.addAll(List.of("-signer", s + ".pem", "-inkey", s + ".key"));
    }
    Openssl.Result r = Openssl.run(dir, args.toArray(new String[0]));
    assertEquals(0, r.exit(), r.output());
    return Files.readAllBytes(dir.resolve(out));
  }

  private static Openssl.Result opensslVerify(String sigFile) throws Exception {
    return Openssl.run(
        dir,
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        sigFile,
        "-content",
        "manifest.json",
        "-CAfile",
        "root.pem",
        "-purpose",
        "any",
        "-attime",
        Long.toString(TestPki.NOW.getEpochSecond()),
        "-out",
        "/dev/null");
  }

  @Test
  void opensslSingleSignerVerifiesWithOurs() throws Exception {
    byte[] sig = opensslSign("single.p7s", "rsa-signer");
    VerifiedRelease r = ReleaseVerifier.verifyOffline(pki.policy(), "manifest.json", manifest, sig);
    assertEquals("rsa-signer", r.signers().get(0).commonName());
  }

  @Test
  void opensslMultiSignerVerifiesWithOursAtThresholdTwo() throws Exception {
    byte[] sig = opensslSign("multi.p7s", "alice", "bob", "rsa-signer");
    TrustPolicy p = pki.policy(3, Set.of("alice", "bob", "rsa-signer"), Optional.of("IPC-X1"));
    assertEquals(
        3, ReleaseVerifier.verifyOffline(p, "manifest.json", manifest, sig).signers().size());
  }

  @Test
  void opensslSignedByRevokedSignerIsRefused() throws Exception {
    byte[] sig = opensslSign("revoked.p7s", "alice", "revoked");
    ReleaseRejectedException e =
        assertThrows(
            ReleaseRejectedException.class,
            () -> ReleaseVerifier.verifyOffline(pki.policy(), "manifest.json", manifest, sig));
    assertEquals(Reason.REVOKED, e.reason());
  }

  @Test
  void oursVerifyWithOpenssl() throws Exception {
    byte[] one = ReleaseSigner.sign(manifest, List.of(pki.key(pki.alice)));
    Files.write(dir.resolve("ours-1.p7s"), one);
    Openssl.Result r1 = opensslVerify("ours-1.p7s");
    assertEquals(0, r1.exit(), r1.output());
    byte[] three =
        ReleaseSigner.sign(
            manifest, List.of(pki.key(pki.alice), pki.key(pki.bob), pki.key(pki.rsa)));
    Files.write(dir.resolve("ours-3.p7s"), three);
    Openssl.Result r3 = opensslVerify("ours-3.p7s");
    assertEquals(0, r3.exit(), r3.output());
  }
}
