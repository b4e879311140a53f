package io.burnguard.agent.vetting;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Public access to the test PKI for the benchmark in another package. */
public final class TestPkiAccess {
  public static final Clock CLOCK = TestPki.CLOCK;
  private final TestPki pki;

  public TestPkiAccess() throws Exception {
    pki = new TestPki();
  }

  public byte[] manifest() throws Exception {
    return ReleaseVerifierTest.manifestBytes();
  }

  public byte[] signThree(byte[] m) throws Exception {
    return ReleaseSigner.sign(m, List.of(pki.key(pki.alice), pki.key(pki.bob), pki.key(pki.carol)));
  }

  public TrustPolicy policyThree() {
    return pki.policy(3, Set.of("alice", "bob", "carol"), Optional.of("IPC-X1"));
  }

  public TrustPolicy policyOne() {
    return new TrustPolicy(
        pki.root.cert(),
        List.of(),
        TrustPolicy.Revocation.REQUIRE_CRL,
        1,
        Set.of(),
        CLOCK,
        Optional.of("IPC-X1"));
  }

  /** Publishes {@code image} as release big 1.0 with CRLs and a withdrawal list under www. */
  public void publish(Path www, Path image) throws Exception {
    Files.createDirectories(www.resolve("crl"));
    Files.write(www.resolve("crl/root.crl"), pki.rootCrl.getEncoded());
    Files.write(www.resolve("crl/ca1.crl"), pki.intermediateCrl.getEncoded());
    Manifest m =
        ReleaseSigner.manifestFor(image, "big", "1.0", List.of("IPC-X1"), TestPki.NOW, false);
    byte[] mb = ReleaseSigner.manifestBytes(m);
    Path d = image.getParent();
    Files.write(d.resolve("manifest.json"), mb);
    Files.write(
        d.resolve("manifest.json.p7s"), ReleaseSigner.sign(mb, List.of(pki.key(pki.alice))));
    byte[] w =
        ReleaseSigner.withdrawalBytes(
            new WithdrawalList(1, TestPki.NOW, TestPki.NOW.plus(Duration.ofDays(1)), List.of()));
    Files.write(www.resolve("withdrawals.json"), w);
    Files.write(
        www.resolve("withdrawals.json.p7s"), ReleaseSigner.sign(w, List.of(pki.key(pki.alice))));
  }
}
