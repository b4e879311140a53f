package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one trust loader, for a station's config and for the offline command's flags. */
class TrustLoaderTest {
  static TestPki pki;
  @TempDir Path dir;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  private Path root() throws Exception {
    Path f = dir.resolve("root.pem");
    TestPki.writePem(f, pki.root.cert());
    return f;
  }

  @Test
  void aStationTrustsItsRootAndEveryCrlInItsDirectory() throws Exception {
    Path crlDir = Files.createDirectories(dir.resolve("crl"));
    TestPki.writePem(crlDir.resolve("root.crl"), pki.rootCrl);
    TestPki.writePem(crlDir.resolve("ca1.crl"), pki.intermediateCrl);
    Files.createDirectories(crlDir.resolve("old"));

    TrustPolicy p =
        TrustLoader.station(root(), crlDir, 2, List.of("alice", "bob")).load(TestPki.CLOCK);

    assertEquals(pki.root.cert(), p.root());
    assertEquals(Set.of(pki.rootCrl, pki.intermediateCrl), Set.copyOf(p.crls()));
    assertEquals(TrustPolicy.Revocation.REQUIRE_CRL, p.revocation());
    assertEquals(2, p.threshold());
    assertEquals(Set.of("alice", "bob"), p.allowedSigners());
    assertEquals(Optional.empty(), p.model());
  }

  @Test
  void aStationReadsItsCrlDirectoryAgainAtEveryLoad() throws Exception {
    Path crlDir = dir.resolve("crl");
    TrustLoader loader = TrustLoader.station(root(), crlDir, 1, List.of("alice"));
    assertEquals(List.of(), loader.load(TestPki.CLOCK).crls(), "no directory holds no CRL");

    Files.createDirectories(crlDir);
    TestPki.writePem(crlDir.resolve("root.crl"), pki.rootCrl);

    assertEquals(List.of(pki.rootCrl), loader.load(TestPki.CLOCK).crls());
  }

  @Test
  void aMissingRootRefusesTheStationNamingKeyFileAndFix() {
    Path missing = dir.resolve("nope.pem");
    TrustMaterialException e =
        assertThrows(
            TrustMaterialException.class,
            () -> TrustLoader.station(missing, dir, 1, List.of("alice")).load(TestPki.CLOCK));

    assertEquals("trust.releaseRoot", e.input());
    assertTrue(e.getMessage().startsWith("trust.releaseRoot " + missing), e.getMessage());
    assertTrue(e.getMessage().contains("nothing is trusted without it"), e.getMessage());
  }

  @Test
  void anUnreadableCrlRefusesTheWholePolicy() throws Exception {
    Path crlDir = Files.createDirectories(dir.resolve("crl"));
    TestPki.writePem(crlDir.resolve("root.crl"), pki.rootCrl);
    Files.writeString(crlDir.resolve("junk.crl"), "not a CRL");
    Path rootFile = root();

    TrustMaterialException e =
        assertThrows(
            TrustMaterialException.class,
            () -> TrustLoader.station(rootFile, crlDir, 1, List.of("alice")).load(TestPki.CLOCK));

    assertEquals("trust.crlDir", e.input());
    assertTrue(e.getMessage().startsWith("a CRL in trust.crlDir " + crlDir), e.getMessage());
    assertTrue(e.getMessage().contains("junk.crl"), e.getMessage());
  }

  @Test
  void offlineFlagsBuildThePolicyTheyName() throws Exception {
    Path crl = dir.resolve("root.crl");
    TestPki.writePem(crl, pki.rootCrl);

    TrustPolicy p =
        TrustLoader.offline(root(), List.of(crl), false, 1, Optional.of("IPC-X1"))
            .load(TestPki.CLOCK);

    assertEquals(List.of(pki.rootCrl), p.crls());
    assertEquals(TrustPolicy.Revocation.REQUIRE_CRL, p.revocation());
    assertEquals(Set.of(), p.allowedSigners());
    assertEquals(Optional.of("IPC-X1"), p.model());
    TrustPolicy none =
        TrustLoader.offline(root(), List.of(), true, 1, Optional.empty()).load(TestPki.CLOCK);
    assertEquals(TrustPolicy.Revocation.NONE, none.revocation());
  }

  @Test
  void contradictoryFlagsAreNamedBeforeAnyFileIsRead() {
    Path missing = dir.resolve("missing");
    TrustMaterialException e =
        assertThrows(
            TrustMaterialException.class,
            () ->
                TrustLoader.offline(missing, List.of(missing), true, 1, Optional.empty())
                    .load(TestPki.CLOCK));

    assertEquals("--crl", e.input());
    assertTrue(e.getMessage().startsWith("--no-crl and --crl: "), e.getMessage());
    assertTrue(e.getMessage().contains("contradict"), e.getMessage());
  }

  @Test
  void aThresholdBelowOneIsNamedByItsFlag() {
    Path missing = dir.resolve("missing");
    TrustMaterialException e =
        assertThrows(
            TrustMaterialException.class,
            () ->
                TrustLoader.offline(missing, List.of(), false, 0, Optional.empty())
                    .load(TestPki.CLOCK));

    assertEquals("--threshold", e.input());
    assertTrue(e.getMessage().contains("at least 1 distinct signer key, found 0"), e.getMessage());
  }

  @Test
  void anUnreadableCrlFlagNamesTheFile() throws Exception {
    Path junk = dir.resolve("junk.crl");
    Files.writeString(junk, "not a CRL");
    Path rootFile = root();

    TrustMaterialException e =
        assertThrows(
            TrustMaterialException.class,
            () ->
                TrustLoader.offline(rootFile, List.of(junk), false, 1, Optional.empty())
                    .load(TestPki.CLOCK));

    assertEquals("--crl", e.input());
    assertTrue(
        e.getMessage().startsWith("--crl " + junk + " cannot be read as a CRL"), e.getMessage());
  }
}
