package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A scan report names what it read and where it found what, with hostile file names escaped. */
class PartScanReportTest {
  @Test
  void aFileNameWithTerminalControlsIsEscapedInTheDetectionAndTheSummary() {
    PartScanReport r =
        new PartScanReport(
            "/dev/sdb",
            null,
            "exFAT",
            3,
            List.of(new PartScanReport.Detection("/x\u001b[2J\r\nPASS.com", "Eicar-Signature")));
    String where = r.detections().get(0).where();
    assertFalse(where.contains("\u001b") || where.contains("\n") || where.contains("\r"), where);
    assertTrue(where.startsWith("/x"), where);
    assertFalse(r.summary().contains("\u001b"), r.summary());
    assertTrue(r.summary().contains("3 file(s) (exFAT) and the raw device"), r.summary());
  }

  @Test
  void withoutAFileSystemTheReportSaysRawOnly() {
    PartScanReport r = new PartScanReport("/dev/sdb", null, null, 0, List.of());
    assertFalse(r.fileSystemScanned());
    assertTrue(r.clean());
    assertEquals(
        "/dev/sdb: raw device only (no FAT or exFAT file system found), clean", r.summary());
  }
}
