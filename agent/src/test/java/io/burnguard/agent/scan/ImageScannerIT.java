package io.burnguard.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.db.Database;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanning stage against a real clamd and a real station database. */
class ImageScannerIT {
  private static ClamdFixture clamd;

  @TempDir Path tmp;
  private Database db;
  private final RecordingAlerts alerts = new RecordingAlerts();
  private final List<String> quarantined = new ArrayList<>();

  static final class RecordingAlerts implements ScanAlerts {
    final List<String> events = new ArrayList<>();

    @Override
    public void malwareFound(String sha256, String signature, String where) {
      events.add("malware " + sha256 + " " + signature);
    }

    @Override
    public void signaturesStale(ClamdVersion version, Duration age, Duration maxAge) {
      events.add("stale " + version.dbVersion());
    }

    @Override
    public void signaturesUndated(ClamdVersion version) {
      events.add("undated");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clamd != null) {
      clamd.close();
    }
  }

  @BeforeEach
  void openDb() throws Exception {
    db = Database.open(tmp.resolve("station.db"));
  }

  @AfterEach
  void closeDb() {
    db.close();
  }

  private ImageScanner scanner(ClamdFixture f, ScanPolicy policy, Clock clock) {
    return new ImageScanner(
        new ClamdClient(f.settings(f.unixAddress())),
        db,
        policy,
        clock,
        alerts,
        (sha, sig) -> quarantined.add(sha + " " + sig));
  }

  private ImageScanner scanner() {
    return scanner(clamd, ScanPolicy.defaults(), Clock.systemUTC());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] bytes(InputStream in) throws Exception {
    return in.readAllBytes();
  }

  @Test
  void downloadHashAndScanInOnePass() throws Exception {
    byte[] image = bytes(TestImages.clean(3L << 20));
    ByteArrayOutputStream cache = new ByteArrayOutputStream();
    ScanVerdict v;
    try (ImageScan scan = scanner().begin("release test 1.0")) {
      try (InputStream in = scan.tee(new ByteArrayInputStream(image))) {
        in.transferTo(cache);
      }
      v = scan.finish(sha256(image));
    }
    assertTrue(v.clean());
    assertEquals(sha256(image), v.imageSha256());
    assertEquals(clamd.databaseVersion(), v.dbVersion());
    assertEquals(image.length, cache.size());
    assertEquals(v, scanner().latestVerdict(v.imageSha256()).orElseThrow());
  }

  @Test
  void detectionIsRecordedQuarantinedAndAlerted() throws Exception {
    byte[] image = bytes(TestImages.withEicar(2L << 20, 777_777));
    String sha = sha256(image);
    ScanException e =
        assertThrows(
            ScanException.class,
            () -> scanner().scan(new ByteArrayInputStream(image), sha, "release bad 1.0"));
    assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
    assertEquals(ClamdFixture.EICAR_SIGNATURE, e.signature());
    assertEquals(List.of(sha + " " + ClamdFixture.EICAR_SIGNATURE), quarantined);
    assertEquals(List.of("malware " + sha + " " + ClamdFixture.EICAR_SIGNATURE), alerts.events);
    assertFalse(scanner().latestVerdict(sha).orElseThrow().clean());
    // A later burn attempt is refused from the record, without rescanning.
    ScanException again =
        assertThrows(
            ScanException.class,
            () ->
                scanner()
                    .requireClean(
                        sha,
                        () -> {
                          throw new AssertionError("must not rescan");
                        },
                        "burn"));
    assertEquals(ScanException.Reason.MALWARE_FOUND, again.reason());
  }

  @Test
  void otherBytesThanExpectedAreRefused() throws Exception {
    ScanException e =
        assertThrows(
            ScanException.class,
            () -> scanner().scan(TestImages.clean(1000), "0".repeat(64), "release x 1.0"));
    assertEquals(ScanException.Reason.HASH_MISMATCH, e.reason());
  }

  @Test
  void verdictReusedWhileDatabaseUnchangedAndRedoneAfterReload() throws Exception {
    try (ClamdFixture own = ClamdFixture.builder().start()) {
      byte[] marker = "BURNGUARD-NEW-THREAT-7f3a9c".getBytes(StandardCharsets.US_ASCII);
      byte[] image = bytes(TestImages.image(1L << 20, 12_345, marker));
      String sha = sha256(image);
      AtomicInteger opens = new AtomicInteger();
      ImageScanner.ImageSource source =
          () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(image);
          };
      ImageScanner s = scanner(own, ScanPolicy.defaults(), Clock.systemUTC());
      assertTrue(s.requireClean(sha, source, "burn 1").clean());
      assertEquals(1, opens.get(), "first burn scans");
      assertTrue(s.requireClean(sha, source, "burn 2").clean());
      assertEquals(1, opens.get(), "same database: verdict reused");

      own.addBodySignature("BurnGuard.Test.NewThreat", marker);
      ScanException e =
          assertThrows(ScanException.class, () -> s.requireClean(sha, source, "burn 3"));
      assertEquals(2, opens.get(), "new database: rescanned");
      assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
      assertEquals("BurnGuard.Test.NewThreat.UNOFFICIAL", e.signature());
    }
  }

  @Test
  void staleSignaturesRefuseWithAnAlert() throws Exception {
    Instant dbDate = new ClamdClient(clamd.settings(clamd.unixAddress())).version().dbDate();
    ScanPolicy week = new ScanPolicy(Duration.ofDays(7), false);
    ImageScanner fresh =
        scanner(clamd, week, Clock.fixed(dbDate.plus(Duration.ofDays(6)), ZoneOffset.UTC));
    fresh.checkSignatures();
    ImageScanner late =
        scanner(clamd, week, Clock.fixed(dbDate.plus(Duration.ofDays(8)), ZoneOffset.UTC));
    ScanException e = assertThrows(ScanException.class, () -> late.begin("release x 1.0"));
    assertEquals(ScanException.Reason.SIGNATURES_STALE, e.reason());
    assertTrue(e.getMessage().contains("192 hours old"), e.getMessage());
    assertEquals(List.of("stale " + clamd.databaseVersion()), alerts.events);
    ScannerStatus st = late.status();
    assertFalse(st.ready());
    assertEquals(Duration.ofDays(8), st.databaseAge());
  }

  @Test
  void undatedDatabaseRefusedUnlessAllowedAndThenNeverReused() throws Exception {
    try (ClamdFixture local = ClamdFixture.builder().dated(false).start()) {
      byte[] image = bytes(TestImages.clean(100_000));
      String sha = sha256(image);
      AtomicInteger opens = new AtomicInteger();
      ImageScanner.ImageSource source =
          () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(image);
          };
      ScanException e =
          assertThrows(
              ScanException.class,
              () ->
                  scanner(local, ScanPolicy.defaults(), Clock.systemUTC())
                      .requireClean(sha, source, "burn"));
      assertEquals(ScanException.Reason.SIGNATURES_UNDATED, e.reason());
      assertEquals(List.of("undated"), alerts.events);

      ImageScanner allowed =
          scanner(local, new ScanPolicy(Duration.ofDays(7), true), Clock.systemUTC());
      allowed.requireClean(sha, source, "burn 1");
      allowed.requireClean(sha, source, "burn 2");
      assertEquals(2, opens.get(), "an undated database cannot vouch for an old verdict");
    }
  }

  @Test
  void stoppedClamdRefusesTheBurnAndDoctorSaysWhy() throws Exception {
    try (ClamdFixture doomed = ClamdFixture.builder().start()) {
      ImageScanner s = scanner(doomed, ScanPolicy.defaults(), Clock.systemUTC());
      ScannerStatus ok = s.status();
      assertTrue(ok.ready(), ok.problem());
      assertNotNull(ok.version());
      assertTrue(ok.databaseAge().compareTo(Duration.ofMinutes(5)) < 0);
      doomed.stop();
      ScanException e =
          assertThrows(
              ScanException.class,
              () -> s.requireClean("a".repeat(64), () -> TestImages.clean(10), "burn"));
      assertEquals(ScanException.Reason.UNREACHABLE, e.reason());
      ScannerStatus down = s.status();
      assertFalse(down.ready());
      assertNull(down.version());
      assertTrue(down.problem().contains("systemctl start clamav-daemon"), down.problem());
    }
  }

  @Test
  void clamdDyingStopsTheDownloadAndRefuses() throws Exception {
    try (ClamdFixture doomed = ClamdFixture.builder().start()) {
      ImageScanner s = scanner(doomed, ScanPolicy.defaults(), Clock.systemUTC());
      try (ImageScan scan = s.begin("release x 1.0");
          InputStream in = scan.tee(TestImages.clean(256L << 20))) {
        byte[] buf = new byte[1 << 20];
        assertTrue(in.read(buf) > 0);
        doomed.kill();
        ImageScan.ScanIOException io =
            assertThrows(
                ImageScan.ScanIOException.class,
                () -> {
                  while (in.read(buf) >= 0) {
                    // keep downloading until the scan failure stops it
                  }
                });
        assertEquals(ScanException.Reason.CLOSED_EARLY, io.scanFailure().reason());
        ScanException e = assertThrows(ScanException.class, () -> scan.finish(null));
        assertEquals(ScanException.Reason.CLOSED_EARLY, e.reason());
      }
    }
  }

  @Test
  void mediaScannerReportsProgressAndFindsEicar() throws Exception {
    MediaScanner m =
        new MediaScanner(
            new ClamdClient(clamd.settings(clamd.unixAddress())),
            ScanPolicy.defaults(),
            Clock.systemUTC(),
            alerts);
    Path clean = tmp.resolve("clean.img");
    Files.write(clean, bytes(TestImages.clean(10L << 20)));
    List<Long> seen = new ArrayList<>();
    ScanVerdict v =
        m.scan(
            clean,
            (done, total) -> {
              assertEquals(10L << 20, total);
              seen.add(done);
            });
    assertTrue(v.clean());
    assertEquals(sha256(Files.readAllBytes(clean)), v.imageSha256());
    assertEquals(10L << 20, seen.get(seen.size() - 1));
    assertTrue(seen.size() >= 2, seen.toString());

    Path bad = tmp.resolve("bad.img");
    Files.write(bad, bytes(TestImages.withEicar(3L << 20, 1_048_577)));
    ScanException e = assertThrows(ScanException.class, () -> m.scan(bad, (d, t) -> {}));
    assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
    assertEquals(1, alerts.events.size());
  }
}
