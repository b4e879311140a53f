package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.burnguard.agent.scan.ClamdClient;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.scan.ClamdVersion;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.ScanAlerts;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.scan.ScanPolicy;
import io.burnguard.agent.scan.ScanVerdict;
import io.burnguard.agent.testing.TestCerts;
import io.burnguard.agent.vetting.cache.ImageCache;
import io.burnguard.agent.vetting.fetch.ReleaseFetcher;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.ServerConfig;
import io.burnguard.agent.vetting.server.TestHttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch end to end from a real HTTPS server holding a release tree generated at test time, scanned
 * by a real private clamd (issue 4: scanned as it is downloaded, fail closed, verdict per
 * database).
 */
class ReleaseFetcherIT {
  static TestPki pki;
  static TestHttpsServer server;
  static ClamdFixture clamd;
  static final byte[] MARKER =
      "BURNGUARD-FETCH-NEW-THREAT-51c2".getBytes(StandardCharsets.US_ASCII);

  /** Files (relative to the base) whose next response is cut off halfway, once. */
  static final Set<String> CUT_ONCE = ConcurrentHashMap.newKeySet();

  @TempDir static Path www;
  @TempDir Path station;
  VersionStore versions;
  io.burnguard.agent.db.Database db;
  io.burnguard.agent.vetting.fetch.ReleaseCatalog catalog;
  final List<String> alerts = new ArrayList<>();
  final List<String> quarantined = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    clamd = ClamdFixture.builder().start();
    pki = new TestPki();
    server = new TestHttpsServer();
    server.handle("/base/", ReleaseFetcherIT::serve);
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
    publish("6.0.0", pki.alice, image(33_333, ClamdFixture.EICAR));
    publish("6.1.0", pki.alice, image(10_001, ClamdFixture.EICAR));
    publish("6.2.0", pki.alice, image(-1, ""));
    publish("6.3.0", pki.alice, image(61_111, new String(MARKER, StandardCharsets.US_ASCII)));
    withdrawals(TestPki.NOW.plus(Duration.ofDays(1)));
  }

  /** Serves files with HTTP Range; a file in {@link #CUT_ONCE} is cut off halfway once. */
  static void serve(HttpExchange x) throws IOException {
    String rel = x.getRequestURI().getPath().substring("/base/".length());
    Path f = www.resolve(rel).normalize();
    if (!f.startsWith(www) || !Files.isRegularFile(f)) {
      TestHttpsServer.send(x, 404, new byte[0]);
      return;
    }
    byte[] body = Files.readAllBytes(f);
    String range = x.getRequestHeaders().getFirst("Range");
    int start = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
    if (start > 0) {
      x.getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
    }
    x.sendResponseHeaders(start > 0 ? 206 : 200, body.length - start);
    int end = CUT_ONCE.remove(rel) ? body.length / 2 : body.length;
    try {
      x.getResponseBody().write(body, start, end - start);
    } finally {
      x.close(); // short of Content-Length when cut: the client sees the connection drop
    }
  }

  /** 100 000 random bytes with {@code insert} at {@code offset} (offset -1: none). */
  static byte[] image(int offset, String insert) {
    byte[] b = new byte[300_000];
    new Random(offset).nextBytes(b);
    byte[] ins = insert.getBytes(StandardCharsets.US_ASCII);
    if (offset >= 0) {
      System.arraycopy(ins, 0, b, offset, ins.length);
    }
    return b;
  }

  static Manifest manifest(String version, byte[] image) throws Exception {
    Manifest base = ReleaseVerifierTest.manifest(version, false);
    return new Manifest(
        base.name(),
        version,
        base.models(),
        base.file(),
        image.length,
        ReleaseVerifier.sha256(new java.io.ByteArrayInputStream(image)),
        base.issued(),
        false);
  }

  static void publish(String version, TestCerts.Issued signer, byte[] image) throws Exception {
    Path d = Files.createDirectories(www.resolve("releases/ipc-x1-main/" + version));
    byte[] m = ReleaseSigner.manifestBytes(manifest(version, image));
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
  static void stop() throws Exception {
    server.close();
    if (clamd != null) {
      clamd.close();
    }
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
    return fetcher(cache, clamd);
  }

  ImageScanner scanner(ClamdFixture f) {
    return new ImageScanner(
        new ClamdClient(f.settings(f.unixAddress())),
        db,
        ScanPolicy.defaults(),
        Clock.systemUTC(),
        new ScanAlerts() {
          @Override
          public void malwareFound(String sha256, String signature, String where) {
            alerts.add("malware " + signature + " in " + where);
          }

          @Override
          public void signaturesStale(ClamdVersion version, Duration age, Duration maxAge) {
            alerts.add("stale");
          }

          @Override
          public void signaturesUndated(ClamdVersion version) {
            alerts.add("undated");
          }
        },
        (sha, sig) -> quarantined.add(sha + " " + sig));
  }

  ReleaseFetcher fetcher(ImageCache cache, ClamdFixture f) throws Exception {
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
        catalog,
        scanner(f));
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
    // Scanned in the download's pass; the verdict is recorded under clamd's database.
    ScanVerdict v = f.scan();
    assertTrue(v.clean());
    assertEquals(f.release().manifest().sha256(), v.imageSha256());
    assertEquals(clamd.databaseVersion(), v.dbVersion());
    assertEquals(Optional.of(v), scanner(clamd).latestVerdict(v.imageSha256()));
    assertFalse(Files.exists(station.resolve("downloads/" + v.imageSha256() + ".part")));
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

  void assertNothingCached() throws Exception {
    assertFalse(versions.highestVersion("ipc-x1-main").isPresent(), "version accepted");
    assertEquals(0, catalog.list().size(), "release recorded");
    try (var s = Files.list(station.resolve("cache"))) {
      assertEquals(0, s.count(), "cache not empty");
    }
  }

  static ScanException scanRefusal(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(ScanException.class, e);
  }

  @Test
  void infectedReleaseIsRefusedDeletedAlertedAndNotCached() throws Exception {
    ImageCache cache = cache();
    ScanException e = scanRefusal(() -> fetcher(cache).fetch("ipc-x1-main", "6.0.0", (d, t) -> {}));
    assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
    assertEquals(ClamdFixture.EICAR_SIGNATURE, e.signature());
    assertNothingCached();
    try (var s = Files.list(station.resolve("downloads"))) {
      assertEquals(0, s.count(), "the infected part file must be deleted");
    }
    String sha = manifest("6.0.0", image(33_333, ClamdFixture.EICAR)).sha256();
    assertEquals(
        List.of("malware " + ClamdFixture.EICAR_SIGNATURE + " in release ipc-x1-main 6.0.0"),
        alerts);
    assertEquals(List.of(sha + " " + ClamdFixture.EICAR_SIGNATURE), quarantined);
    assertFalse(scanner(clamd).latestVerdict(sha).orElseThrow().clean());
  }

  @Test
  void clamdDownRefusesTheFetchBeforeDownloadingAndCachesNothing() throws Exception {
    try (ClamdFixture down = ClamdFixture.builder().start()) {
      down.stop();
      ImageCache cache = cache();
      ScanException e =
          scanRefusal(() -> fetcher(cache, down).fetch("ipc-x1-main", "6.2.0", (d, t) -> {}));
      assertEquals(ScanException.Reason.UNREACHABLE, e.reason());
      assertTrue(e.reason().dependencyFailure());
      assertNothingCached();
      assertFalse(
          Files.exists(
              station.resolve("downloads/" + manifest("6.2.0", image(-1, "")).sha256() + ".part")),
          "nothing is downloaded while clamd is down");
    }
  }

  @Test
  void resumedDownloadScansThePartAlreadyOnDisk() throws Exception {
    // EICAR sits in the first half, which the first (cut) response delivers; the resumed request
    // only fetches the second half, so the verdict is right only if the prefix is rescanned.
    CUT_ONCE.add("releases/ipc-x1-main/6.1.0/ipc-x1-main.bin");
    ImageCache cache = cache();
    assertThrows(
        io.burnguard.agent.vetting.server.ServerRefusedException.class,
        () -> fetcher(cache).fetch("ipc-x1-main", "6.1.0", (d, t) -> {}));
    String sha = manifest("6.1.0", image(10_001, ClamdFixture.EICAR)).sha256();
    // The cut at 150,000 bytes leaves two whole encrypted 64 KiB chunks (12-byte header, 16-byte
    // tags) in the part file, which the resumed fetch must authenticate, decrypt and rescan.
    assertEquals(12 + 2 * (65_536 + 16), Files.size(station.resolve("downloads/" + sha + ".part")));
    assertTrue(alerts.isEmpty(), "half an image has no verdict: " + alerts);
    ScanException e = scanRefusal(() -> fetcher(cache).fetch("ipc-x1-main", "6.1.0", (d, t) -> {}));
    assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
    assertNothingCached();
  }

  @Test
  void resumedCleanDownloadHashesAndScansTheWholeImage() throws Exception {
    CUT_ONCE.add("releases/ipc-x1-main/6.2.0/ipc-x1-main.bin");
    ImageCache cache = cache();
    assertThrows(
        io.burnguard.agent.vetting.server.ServerRefusedException.class,
        () -> fetcher(cache).fetch("ipc-x1-main", "6.2.0", (d, t) -> {}));
    ReleaseFetcher.Fetched f = fetcher(cache).fetch("ipc-x1-main", "6.2.0", (d, t) -> {});
    // The scan's own digest equals the manifest's only if it saw the prefix too.
    assertEquals(f.release().manifest().sha256(), f.scan().imageSha256());
    try (InputStream in = cache.openForBurn(f.release().manifest())) {
      assertArrayEquals(image(-1, ""), in.readAllBytes());
    }
  }

  @Test
  void burnReusesTheVerdictUntilClamdReloadsThenRescansTheCachedCopy() throws Exception {
    try (ClamdFixture own = ClamdFixture.builder().start()) {
      ImageCache cache = cache();
      ReleaseFetcher fetcher = fetcher(cache, own);
      ReleaseFetcher.Fetched f = fetcher.fetch("ipc-x1-main", "6.3.0", (d, t) -> {});
      Manifest m = f.release().manifest();
      assertEquals(f.scan(), fetcher.requireClean(m, "burn 1"), "same database: reused");

      own.addBodySignature(
          "BurnGuard.Test.Unrelated", "NOT-IN-ANY-IMAGE-0042".getBytes(StandardCharsets.US_ASCII));
      ScanVerdict rescanned = fetcher.requireClean(m, "burn 2");
      assertNotEquals(f.scan(), rescanned, "new database: rescanned");
      assertEquals(own.databaseVersion(), rescanned.dbVersion());
      assertTrue(rescanned.clean());
      try (InputStream in = fetcher.openForBurn(m, "burn 3")) {
        assertArrayEquals(
            image(61_111, new String(MARKER, StandardCharsets.US_ASCII)), in.readAllBytes());
      }
      assertEquals(rescanned, fetcher.requireClean(m, "burn 4"), "reused again");

      own.addBodySignature("BurnGuard.Test.NewThreat", MARKER);
      ScanException e = scanRefusal(() -> fetcher.openForBurn(m, "burn 5"));
      assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
      assertEquals("BurnGuard.Test.NewThreat.UNOFFICIAL", e.signature());
      assertFalse(cache.contains(m), "the infected image is deleted from the cache");
      assertEquals(List.of(m.sha256() + " BurnGuard.Test.NewThreat.UNOFFICIAL"), quarantined);
      assertEquals(List.of("malware BurnGuard.Test.NewThreat.UNOFFICIAL in burn 5"), alerts);
    }
  }

  @Test
  void refetchFlaggedByNewSignaturesDropsTheCopyCachedEarlier() throws Exception {
    try (ClamdFixture own = ClamdFixture.builder().start()) {
      ImageCache cache = cache();
      ReleaseFetcher fetcher = fetcher(cache, own);
      Manifest m = fetcher.fetch("ipc-x1-main", "6.3.0", (d, t) -> {}).release().manifest();
      assertTrue(cache.contains(m));
      own.addBodySignature("BurnGuard.Test.NewThreat", MARKER);
      ScanException e = scanRefusal(() -> fetcher.fetch("ipc-x1-main", "6.3.0", (d, t) -> {}));
      assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
      assertFalse(cache.contains(m), "the same bytes cached under the old database are deleted");
    }
  }
}
