package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.burnguard.agent.vetting.cache.ImageCache;
import io.burnguard.agent.vetting.fetch.ReleaseFetcher;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.ServerConfig;
import io.burnguard.agent.vetting.server.TestHttpsServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch end to end from a real HTTPS server holding a release tree generated at test time. */
class ReleaseFetcherIT {
  static TestPki pki;
  static TestHttpsServer server;
  @TempDir static Path www;
  @TempDir Path station;
  VersionStore versions;
  io.burnguard.agent.db.Database db;
  io.burnguard.agent.vetting.fetch.ReleaseCatalog catalog;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki();
    server = new TestHttpsServer();
    server.handle(
        "/base/",
        x -> {
          Path f =
              www.resolve(x.getRequestURI().getPath().substring("/base/".length())).normalize();
          if (f.startsWith(www) && Files.isRegularFile(f)) {
            TestHttpsServer.send(x, 200, Files.readAllBytes(f));
          } else {
            TestHttpsServer.send(x, 404, new byte[0]);
          }
        });
    Files.createDirectories(www.resolve("crl"));
    Files.write(www.resolve("crl/root.crl"), pki.rootCrl.getEncoded());
    Files.write(www.resolve("crl/ca1.crl"), pki.intermediateCrl.getEncoded());
    publish("5.4.1", pki.alice, ReleaseVerifierTest.image);
    byte[] evil = ReleaseVerifierTest.image.clone();
    evil[99] ^= 1;
    publish("5.4.2", pki.alice, ReleaseVerifierTest.image);
    Files.write(www.resolve("releases/ipc-x1-main/5.4.2/ipc-x1-main.bin"), evil);
    publish("5.4.3", pki.revoked, ReleaseVerifierTest.image);
    publish("5.0.0", pki.alice, ReleaseVerifierTest.image);
    withdrawals(TestPki.NOW.plus(Duration.ofDays(1)));
  }

  static void publish(String version, TestPki.Issued signer, byte[] image) throws Exception {
    Path d = Files.createDirectories(www.resolve("releases/ipc-x1-main/" + version));
    byte[] m = ReleaseSigner.manifestBytes(ReleaseVerifierTest.manifest(version, false));
    Files.write(d.resolve("manifest.json"), m);
    Files.write(d.resolve("manifest.json.p7s"), ReleaseSigner.sign(m, List.of(pki.key(signer))));
    Files.write(d.resolve("ipc-x1-main.bin"), image);
  }

  static void withdrawals(Instant expires) throws Exception {
    byte[] w =
        ReleaseSigner.withdrawalBytes(
            new WithdrawalList(
                7,
                TestPki.NOW.minus(Duration.ofHours(1)),
                expires,
                List.of(new WithdrawalList.Entry("ipc-x1-main", "5.0.0", "boot loop on IPC-X1P"))));
    Files.write(www.resolve("withdrawals.json"), w);
    Files.write(
        www.resolve("withdrawals.json.p7s"), ReleaseSigner.sign(w, List.of(pki.key(pki.bob))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void stationStore() throws Exception {
    db = io.burnguard.agent.db.Database.open(station.resolve("station.db"));
    versions = new SqliteVersionStore(db);
    catalog = new io.burnguard.agent.vetting.fetch.ReleaseCatalog(db);
  }

  @org.junit.jupiter.api.AfterEach
  void closeDb() {
    db.close();
  }

  ReleaseFetcher fetcher(ImageCache cache) throws Exception {
    TrustPolicy base =
        new TrustPolicy(
            pki.root.cert(),
            List.of(),
            TrustPolicy.Revocation.REQUIRE_CRL,
            1,
            java.util.Set.of("alice", "bob", "revoked"),
            TestPki.CLOCK,
            Optional.of("IPC-X1"));
    return new ReleaseFetcher(
        new DesignatedServerClient(ServerConfig.withCa(server.base(), server.ca)),
        base,
        List.of("root.crl", "ca1.crl"),
        versions,
        cache,
        station.resolve("downloads"),
        catalog);
  }

  ImageCache cache() throws Exception {
    return ImageCache.open(station.resolve("cache"), station.resolve("cache.key"), TestPki.CLOCK);
  }

  static Reason refusal(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(ReleaseRejectedException.class, e).reason();
  }

  @Test
  void fetchesVerifiesAndCachesARelease() throws Exception {
    ImageCache cache = cache();
    List<Long> progress = new java.util.ArrayList<>();
    ReleaseFetcher.Fetched f =
        fetcher(cache).fetch("ipc-x1-main", "5.4.1", (d, t) -> progress.add(d));
    assertEquals("alice", f.release().signers().get(0).commonName());
    assertEquals(7, f.withdrawals().sequence());
    try (InputStream in = cache.openForBurn(f.release().manifest())) {
      assertArrayEquals(ReleaseVerifierTest.image, in.readAllBytes());
    }
    assertEquals(Optional.of("5.4.1"), versions.highestVersion("ipc-x1-main"));
    assertEquals((long) ReleaseVerifierTest.image.length, progress.get(progress.size() - 1));
    var entry = catalog.find("ipc-x1-main", "5.4.1").orElseThrow();
    // The stored bytes re-verify at burn time.
    ReleaseVerifier.verifyOffline(pki.policy(), "db", entry.manifest(), entry.signature());
    assertEquals(1, catalog.list().size());
    byte[][] w = catalog.latestWithdrawals().orElseThrow();
    assertEquals(
        7,
        new ReleaseVerifier(pki.policy(), versions).verifyWithdrawals("db", w[0], w[1]).sequence());
  }

  @Test
  void tamperedImageOnTheServerIsNotCached() throws Exception {
    ImageCache cache = cache();
    assertEquals(
        Reason.IMAGE_DIGEST_MISMATCH,
        refusal(() -> fetcher(cache).fetch("ipc-x1-main", "5.4.2", (d, t) -> {})));
    assertFalse(versions.highestVersion("ipc-x1-main").isPresent());
    assertEquals(0, catalog.list().size());
    try (var s = Files.list(station.resolve("cache"))) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void revokedSignerPerServerCrlIsRefused() throws Exception {
    ImageCache cache = cache();
    assertEquals(
        Reason.REVOKED, refusal(() -> fetcher(cache).fetch("ipc-x1-main", "5.4.3", (d, t) -> {})));
  }

  @Test
  void withdrawnReleaseIsRefused() throws Exception {
    ImageCache cache = cache();
    assertEquals(
        Reason.WITHDRAWN,
        refusal(() -> fetcher(cache).fetch("ipc-x1-main", "5.0.0", (d, t) -> {})));
  }

  @Test
  void olderVersionAfterANewerOneIsRefused() throws Exception {
    ImageCache cache = cache();
    versions.recordVersion("ipc-x1-main", "5.4.1");
    versions.recordWithdrawalSequence(7);
    fetcher(cache).fetch("ipc-x1-main", "5.4.1", (d, t) -> {});
    versions.recordVersion("ipc-x1-main", "5.5");
    assertEquals(
        Reason.DOWNGRADE,
        refusal(() -> fetcher(cache).fetch("ipc-x1-main", "5.4.1", (d, t) -> {})));
  }
}
