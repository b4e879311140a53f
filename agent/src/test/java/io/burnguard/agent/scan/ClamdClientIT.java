package io.burnguard.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real, private clamd. */
class ClamdClientIT {
  private static ClamdFixture clamd;

  @BeforeAll
  static void start() throws Exception {
    // start() waits until clamd answers PING, with a generous deadline: how fast a loaded
    // machine starts clamd is not what these tests are about.
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (clamd != null) {
      clamd.close();
    }
  }

  private static ClamdClient unix() {
    return new ClamdClient(clamd.settings(clamd.unixAddress()));
  }

  private static ClamdClient tcp() {
    return new ClamdClient(clamd.settings(clamd.tcpAddress()));
  }

  @Test
  void pingAndVersionOverBothTransports() throws ScanException {
    for (ClamdClient c : new ClamdClient[] {unix(), tcp()}) {
      c.ping();
      ClamdVersion v = c.version();
      assertTrue(v.engine().matches("[0-9]+\\..*"), v.raw());
      assertTrue(v.dated(), v.raw());
      assertEquals(clamd.databaseVersion(), v.dbVersion(), v.raw());
    }
  }

  @Test
  void cleanImagePasses() throws ScanException {
    for (ClamdClient c : new ClamdClient[] {unix(), tcp()}) {
      ClamdResult r = c.scan(TestImages.clean(4L << 20));
      assertTrue(r.clean(), String.valueOf(r.signature()));
      assertEquals(4L << 20, r.bytes());
    }
  }

  @Test
  void eicarAloneIsFound() throws ScanException {
    InputStream in =
        new ByteArrayInputStream(ClamdFixture.EICAR.getBytes(StandardCharsets.US_ASCII));
    assertEquals(ClamdFixture.EICAR_SIGNATURE, unix().scan(in).signature());
  }

  @Test
  void eicarAtAnOddOffsetInA64MiBImageIsFound() throws ScanException {
    long size = 64L << 20;
    long offset = 40_000_001L; // odd, not chunk-aligned, past the first chunks
    assertEquals(
        ClamdFixture.EICAR_SIGNATURE, tcp().scan(TestImages.withEicar(size, offset)).signature());
  }

  @Test
  void clamavTestfilesAreFound() throws Exception {
    try (InputStream in = Files.newInputStream(ClamdFixture.CLAM_EXE)) {
      assertEquals(ClamdFixture.CLAM_EXE_SIGNATURE, unix().scan(in).signature());
    }
    // clam.7z holds clam.exe: found by its SHA-256 (.hsb) or by unpacking to the MD5 (.hdb).
    try (InputStream in = Files.newInputStream(ClamdFixture.TESTFILES.resolve("clam.7z"))) {
      String sig = unix().scan(in).signature();
      assertTrue(sig != null && sig.startsWith("BurnGuard.Test.Clam"), String.valueOf(sig));
    }
  }

  @Test
  void streamLargerThanStreamMaxLengthIsRefused() throws Exception {
    try (ClamdFixture small = ClamdFixture.builder().streamMaxLength(1L << 20).start()) {
      for (ClamdAddress a : new ClamdAddress[] {small.unixAddress(), small.tcpAddress()}) {
        ClamdClient c = new ClamdClient(small.settings(a));
        ScanException e =
            assertThrows(ScanException.class, () -> c.scan(TestImages.clean(8L << 20)));
        assertEquals(ScanException.Reason.SIZE_LIMIT, e.reason(), a + ": " + e.getMessage());
      }
    }
  }

  @Test
  void imageLargerThanMaxFileSizeIsNotPassed() throws Exception {
    // Without AlertExceedsMax clamd would answer OK for a file it skipped: fail closed instead.
    try (ClamdFixture small = ClamdFixture.builder().maxFileSize(1L << 20).start()) {
      ClamdClient c = new ClamdClient(small.settings(small.unixAddress()));
      ScanException e = assertThrows(ScanException.class, () -> c.scan(TestImages.clean(2L << 20)));
      assertEquals(ScanException.Reason.SIZE_LIMIT, e.reason(), e.getMessage());
    }
  }

  @Test
  void stoppedClamdIsUnreachable() throws Exception {
    try (ClamdFixture doomed = ClamdFixture.builder().start()) {
      doomed.stop();
      for (ClamdAddress a : new ClamdAddress[] {doomed.unixAddress(), doomed.tcpAddress()}) {
        ScanException e =
            assertThrows(
                ScanException.class,
                () -> new ClamdClient(doomed.settings(a)).scan(TestImages.clean(1000)));
        assertEquals(ScanException.Reason.UNREACHABLE, e.reason(), e.getMessage());
      }
    }
  }

  @Test
  void clamdKilledMidScanIsClosedEarly() throws Exception {
    for (boolean overTcp : new boolean[] {false, true}) {
      try (ClamdFixture doomed = ClamdFixture.builder().start()) {
        ClamdClient c =
            new ClamdClient(doomed.settings(overTcp ? doomed.tcpAddress() : doomed.unixAddress()));
        byte[] chunk = new byte[1 << 20];
        long t0 = System.nanoTime();
        ScanException e;
        try (InstreamSession s = c.openInstream()) {
          s.write(chunk, 0, chunk.length);
          doomed.kill();
          e =
              assertThrows(
                  ScanException.class,
                  () -> {
                    for (int i = 0; i < 64; i++) {
                      s.write(chunk, 0, chunk.length);
                    }
                    s.finish();
                  });
        }
        assertEquals(ScanException.Reason.CLOSED_EARLY, e.reason(), e.getMessage());
        assertTrue(
            Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(5)) < 0,
            "refusal took longer than the read timeout");
      }
    }
  }

  @Test
  void reloadShowsTheNewDatabaseVersion() throws Exception {
    try (ClamdFixture own = ClamdFixture.builder().start()) {
      ClamdClient c = new ClamdClient(own.settings(own.unixAddress()));
      byte[] marker = "BURNGUARD-RELOAD-MARKER-1234567890".getBytes(StandardCharsets.US_ASCII);
      assertTrue(c.scan(new ByteArrayInputStream(marker)).clean());
      own.addBodySignature("BurnGuard.Test.Marker", marker);
      assertEquals(2, c.version().dbVersion());
      assertEquals(
          "BurnGuard.Test.Marker.UNOFFICIAL", c.scan(new ByteArrayInputStream(marker)).signature());
    }
  }

  @Test
  void undatedLocalDatabaseHasNoVersion() throws Exception {
    try (ClamdFixture local = ClamdFixture.builder().dated(false).start()) {
      ClamdClient c = new ClamdClient(local.settings(local.unixAddress()));
      ClamdVersion v = c.version();
      assertTrue(!v.dated(), v.raw());
      InputStream in =
          new ByteArrayInputStream(ClamdFixture.EICAR.getBytes(StandardCharsets.US_ASCII));
      assertEquals(ClamdFixture.EICAR_SIGNATURE, c.scan(in).signature());
    }
  }
}
