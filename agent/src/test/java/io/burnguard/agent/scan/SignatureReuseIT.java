package io.burnguard.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.db.Database;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 10: verdict reuse with a local, undated signature database (clamd's VERSION has no
 * database version) against a real clamd. With {@code scanner.databaseDir} the verdict is keyed on
 * the database files, so an unchanged database is not rescanned and a changed one is.
 */
class SignatureReuseIT {
  @TempDir Path tmp;
  private ClamdFixture local;
  private Database db;
  private final List<String> quarantined = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    local = ClamdFixture.builder().dated(false).start();
    db = Database.open(tmp.resolve("station.db"));
  }

  @AfterEach
  void stop() throws Exception {
    db.close();
    local.close();
  }

  /**
   * A scanner whose clock runs {@code ahead} of the files' modification times, so the database
   * directory counts as settled (clamd has had its SelfCheck period to load it) or not.
   */
  private ImageScanner scanner(Path databaseDir, Duration ahead) {
    return new ImageScanner(
        new ClamdClient(local.settings(local.unixAddress())),
        db,
        new ScanPolicy(Duration.ofDays(7), true, databaseDir),
        Clock.offset(Clock.systemUTC(), ahead),
        ScanAlerts.none(),
        (sha, sig) -> quarantined.add(sha + " " + sig));
  }

  private static byte[] imageWith(byte[] marker) throws Exception {
    return TestImages.image(300_000, 150_001, marker).readAllBytes();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void unchangedDatabaseIsNotRescannedAndAnAddedSignatureIsFoundAfterReload() throws Exception {
    byte[] marker = "burnguard issue 13.10 marker".getBytes(StandardCharsets.US_ASCII);
    byte[] image = imageWith(marker);
    String sha = sha256(image);
    AtomicInteger opens = new AtomicInteger();
    ImageScanner.ImageSource source =
        () -> {
          opens.incrementAndGet();
          return new ByteArrayInputStream(image);
        };
    ImageScanner s = scanner(local.dir().resolve("db"), Duration.ofMinutes(20));
    ScanVerdict first = s.requireClean(sha, source, "burn 1");
    assertEquals(0, first.dbVersion(), "clamd reports no version for a local database");
    assertTrue(first.clamdVersion().contains("+files:"), first.toString());
    assertEquals(first, s.requireClean(sha, source, "burn 2"));
    assertEquals(1, opens.get(), "an unchanged database is not rescanned");

    Path added = local.dir().resolve("db/burnguard-added.ndb");
    Files.writeString(
        added,
        "BurnGuard.Test.Marker:0:*:" + HexFormat.of().formatHex(marker) + "\n",
        StandardCharsets.US_ASCII);
    reloadUntilDetected(marker);

    ScanException e =
        assertThrows(ScanException.class, () -> s.requireClean(sha, source, "burn 3"));
    assertEquals(ScanException.Reason.MALWARE_FOUND, e.reason());
    assertEquals("BurnGuard.Test.Marker.UNOFFICIAL", e.signature());
    assertEquals(2, opens.get(), "the changed database rescanned the image");
    assertEquals(1, quarantined.size(), quarantined.toString());
  }

  @Test
  void justChangedDatabaseIsNotTrustedToHaveBeenLoaded() throws Exception {
    byte[] image = imageWith("nothing to see".getBytes(StandardCharsets.US_ASCII));
    String sha = sha256(image);
    AtomicInteger opens = new AtomicInteger();
    ImageScanner.ImageSource source =
        () -> {
          opens.incrementAndGet();
          return new ByteArrayInputStream(image);
        };
    // Files written moments ago: clamd may not have loaded them, so no key and no reuse.
    ImageScanner s = scanner(local.dir().resolve("db"), Duration.ZERO);
    ScanVerdict v = s.requireClean(sha, source, "burn 1");
    s.requireClean(sha, source, "burn 2");
    assertEquals(2, opens.get());
    assertFalse(v.clamdVersion().contains("+files:"), v.toString());
    // Without the directory, the undated database is never reused either (the earlier rule).
    ImageScanner blind = scanner(null, Duration.ofMinutes(20));
    blind.requireClean(sha, source, "burn 3");
    assertEquals(3, opens.get(), "burn 3 rescanned");
  }

  private void reloadUntilDetected(byte[] marker) throws Exception {
    ClamdClient c = new ClamdClient(local.settings(local.unixAddress()));
    c.reload();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (c.scan(new ByteArrayInputStream(marker)).signature() == null) {
      assertTrue(System.nanoTime() < deadline, "clamd did not load the added signature");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
