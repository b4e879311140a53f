package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.testing.TestCerts;
import io.burnguard.agent.testing.TestClock;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 12, finding 1: which CRLs from the server a station may store in crlDir. */
class TrustDocumentsTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private final TestClock clock = new TestClock(NOW);
  private final TestCerts.Issued root;
  private final TestCerts.Issued ca;
  private final TestCerts.Issued rogueCa;
  private final TrustPolicy policy;

  TrustDocumentsTest() throws Exception {
    root = TestCerts.certificate("CN=Root", TestCerts.ec()).ca().selfSigned();
    ca = TestCerts.certificate("CN=Signing CA", TestCerts.ec()).ca().signedBy(root);
    // Same name as the real CA, own key, self-signed: does not chain to the pinned root.
    rogueCa = TestCerts.certificate("CN=Signing CA", TestCerts.ec()).ca().selfSigned();
    policy =
        new TrustPolicy(
            root.cert(),
            List.of(),
            TrustPolicy.Revocation.REQUIRE_CRL,
            1,
            Set.of(),
            clock,
            Optional.empty());
  }

  private static X509CRL crl(TestCerts.Issued issuer, Instant thisUpdate) throws Exception {
    return TestCerts.crl(issuer, thisUpdate, thisUpdate.plus(Duration.ofDays(7)), List.of(), NOW);
  }

  @Test
  void aCrlOfTheRootOrOfACaChainingToItIsAccepted() throws Exception {
    byte[] rootCrl = crl(root, NOW.minusSeconds(60)).getEncoded();
    assertNotNull(TrustDocuments.verifiedCrl("crl/root.crl", rootCrl, policy, List.of()));
    byte[] caCrl = crl(ca, NOW.minusSeconds(60)).getEncoded();
    X509CRL ok = TrustDocuments.verifiedCrl("crl/signing.crl", caCrl, policy, List.of(ca.cert()));
    assertEquals(ca.cert().getSubjectX500Principal(), ok.getIssuerX500Principal());
  }

  @Test
  void aCrlOfARogueCaWithTheSameNameIsRefused() throws Exception {
    byte[] forged = crl(rogueCa, NOW.minusSeconds(60)).getEncoded();
    ReleaseRejectedException e =
        assertThrows(
            ReleaseRejectedException.class,
            () ->
                TrustDocuments.verifiedCrl(
                    "crl/signing.crl", forged, policy, List.of(rogueCa.cert())));
    assertEquals(Reason.UNTRUSTED_CHAIN, e.reason(), e.getMessage());
    // Signed by the rogue key but naming the real CA, offered with the real CA: bad signature.
    ReleaseRejectedException sig =
        assertThrows(
            ReleaseRejectedException.class,
            () ->
                TrustDocuments.verifiedCrl("crl/signing.crl", forged, policy, List.of(ca.cert())));
    assertEquals(Reason.CRL_INVALID, sig.reason(), sig.getMessage());
  }

  @Test
  void aCrlWithoutItsIssuerOrNotACrlIsRefused() throws Exception {
    byte[] caCrl = crl(ca, NOW.minusSeconds(60)).getEncoded();
    ReleaseRejectedException e =
        assertThrows(
            ReleaseRejectedException.class,
            () -> TrustDocuments.verifiedCrl("crl/signing.crl", caCrl, policy, List.of()));
    assertEquals(Reason.CRL_INVALID, e.reason());
    assertTrue(e.getMessage().contains("CN=Signing CA"), e.getMessage());
    ReleaseRejectedException junk =
        assertThrows(
            ReleaseRejectedException.class,
            () -> TrustDocuments.verifiedCrl("crl/x.crl", new byte[] {1, 2, 3}, policy, List.of()));
    assertEquals(Reason.CRL_INVALID, junk.reason());
  }

  @Test
  void anExpiredCrlIsRefused() throws Exception {
    byte[] old = crl(root, NOW.minus(Duration.ofDays(8))).getEncoded();
    ReleaseRejectedException e =
        assertThrows(
            ReleaseRejectedException.class,
            () -> TrustDocuments.verifiedCrl("crl/root.crl", old, policy, List.of()));
    assertEquals(Reason.CRL_EXPIRED, e.reason());
  }

  @Test
  void anOlderCrlThanTheStoredOneIsARollback() throws Exception {
    X509CRL stored = crl(ca, NOW.minusSeconds(60));
    X509CRL older = crl(ca, NOW.minusSeconds(3600));
    ReleaseRejectedException e =
        assertThrows(
            ReleaseRejectedException.class,
            () -> TrustDocuments.checkNotOlder("crl/signing.crl", older, stored));
    assertEquals(Reason.CRL_ROLLBACK, e.reason());
    TrustDocuments.checkNotOlder("crl/signing.crl", stored, older); // newer: fine
    TrustDocuments.checkNotOlder("crl/signing.crl", stored, stored); // same: fine
  }
}
