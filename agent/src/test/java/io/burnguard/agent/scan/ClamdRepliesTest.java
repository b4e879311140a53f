package io.burnguard.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClamdRepliesTest {
  private static final ClamdAddress AT = ClamdAddress.parse("unix:/run/clamav/clamd.ctl");

  @Test
  void okIsClean() throws ScanException {
    ClamdResult r = ClamdReplies.parseScan("stream: OK", 10, AT);
    assertTrue(r.clean());
    assertNull(r.signature());
    assertEquals(10, r.bytes());
  }

  @Test
  void foundNamesTheSignature() throws ScanException {
    ClamdResult r = ClamdReplies.parseScan("stream: Win.Test.EICAR_HDB-1 FOUND", 68, AT);
    assertFalse(r.clean());
    assertEquals("Win.Test.EICAR_HDB-1", r.signature());
  }

  @Test
  void sizeLimitErrorIsSizeLimit() {
    ScanException e =
        assertThrows(
            ScanException.class,
            () -> ClamdReplies.parseScan("INSTREAM size limit exceeded. ERROR", 5, AT));
    assertEquals(ScanException.Reason.SIZE_LIMIT, e.reason());
  }

  @Test
  void limitsHeuristicIsSizeLimitNotMalwareNorClean() {
    ScanException e =
        assertThrows(
            ScanException.class,
            () ->
                ClamdReplies.parseScan(
                    "stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND", 5, AT));
    assertEquals(ScanException.Reason.SIZE_LIMIT, e.reason());
  }

  @Test
  void otherErrorsAreErrorReplies() {
    for (String reply :
        new String[] {"stream: Can't allocate memory ERROR", "UNKNOWN COMMAND ERROR"}) {
      ScanException e =
          assertThrows(ScanException.class, () -> ClamdReplies.parseScan(reply, 0, AT));
      assertEquals(ScanException.Reason.ERROR_REPLY, e.reason(), reply);
    }
  }

  @Test
  void anythingElseIsGarbage() {
    for (String reply :
        new String[] {
          "",
          "OK",
          "stream:OK",
          "stream: OK extra",
          "stream:  FOUND",
          "HTTP/1.1 200 OK",
          "stream: bad\u0001name FOUND",
          "PONG",
          "COMMAND READ TIMED OUT"
        }) {
      ScanException e =
          assertThrows(ScanException.class, () -> ClamdReplies.parseScan(reply, 0, AT));
      assertEquals(ScanException.Reason.GARBAGE_REPLY, e.reason(), reply);
    }
  }

  @Test
  void versionWithDatabase() throws ScanException {
    ClamdVersion v =
        ClamdReplies.parseVersion(
            "ClamAV 1.4.6/27812/Thu Nov 20 09:33:10 2025", ZoneOffset.UTC, AT);
    assertEquals("1.4.6", v.engine());
    assertEquals(27812, v.dbVersion());
    assertEquals(Instant.parse("2025-11-20T09:33:10Z"), v.dbDate());
    assertTrue(v.dated());
  }

  @Test
  void versionWithSpacePaddedDay() throws ScanException {
    ClamdVersion v =
        ClamdReplies.parseVersion(
            "ClamAV 1.0.9/27500/Sat Nov  1 08:00:00 2025", ZoneOffset.UTC, AT);
    assertEquals(Instant.parse("2025-11-01T08:00:00Z"), v.dbDate());
  }

  @Test
  void versionWithoutDatabase() throws ScanException {
    ClamdVersion v = ClamdReplies.parseVersion("ClamAV 1.4.6", ZoneOffset.UTC, AT);
    assertEquals("1.4.6", v.engine());
    assertFalse(v.dated());
    assertTrue(v.databaseVersion().isEmpty());
  }

  @Test
  void badVersionsAreGarbage() {
    for (String reply :
        new String[] {
          "ClamAV", "clamav 1.4.6", "ClamAV 1.4.6/abc/Thu Nov 20 09:33:10 2025",
          "ClamAV 1.4.6/27812/yesterday", "ClamAV 1.4.6/0/Thu Nov 20 09:33:10 2025", "PONG"
        }) {
      ScanException e =
          assertThrows(
              ScanException.class, () -> ClamdReplies.parseVersion(reply, ZoneOffset.UTC, AT));
      assertEquals(ScanException.Reason.GARBAGE_REPLY, e.reason(), reply);
    }
  }

  @Test
  void messagesSayWhatToDo() {
    ScanException e =
        assertThrows(ScanException.class, () -> ClamdReplies.parseScan("hello", 0, AT));
    assertTrue(e.getMessage().contains("unix:/run/clamav/clamd.ctl"), e.getMessage());
    assertTrue(e.getMessage().contains("fix the address"), e.getMessage());
  }

  @Test
  void addressesParse() {
    assertEquals(3310, ClamdAddress.parse("tcp://127.0.0.1:3310").port());
    assertEquals(
        "/run/clamav/clamd.ctl",
        ClamdAddress.parse("unix:/run/clamav/clamd.ctl").unixPath().toString());
    for (String bad : new String[] {"", "clamd.ctl", "unix:rel/path", "tcp://host", "http://x:1"}) {
      assertThrows(IllegalArgumentException.class, () -> ClamdAddress.parse(bad), bad);
    }
  }
}
