package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A verified release can only come out of verification. */
class VerifiedReleaseTest {
  @Test
  void noConstructorIsVisibleOutsideVetting() {
    assertEquals(0, VerifiedRelease.class.getConstructors().length, "public constructors");
    assertFalse(
        Arrays.stream(VerifiedRelease.class.getDeclaredConstructors())
            .anyMatch(c -> Modifier.isProtected(c.getModifiers())),
        "protected constructors");
    assertFalse(VerifiedRelease.class.isRecord(), "a public record's constructor is public");
  }

  @Test
  void signerNamesAreSortedWhateverTheSignerInfoOrder() throws Exception {
    TestPki pki = new TestPki();
    byte[] m = ReleaseVerifierTest.manifestBytes();
    byte[] sig = ReleaseSigner.sign(m, List.of(pki.key(pki.bob), pki.key(pki.alice)));
    VerifiedRelease r = ReleaseVerifier.verifyOffline(pki.policy(), "manifest.json", m, sig);

    assertEquals(List.of("alice", "bob"), r.signerNames());
    assertEquals(2, r.signers().size());
  }
}
