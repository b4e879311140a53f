package io.burnguard.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The typed scan finding and the fixed text the ledger records for it. */
class ScanFindingTest {
  private static final String SHA = "ab".repeat(32);
  private static final Instant DB = Instant.parse("2026-11-20T06:00:00Z");
  private static final Instant AT = Instant.parse("2026-11-21T08:00:00Z");

  @Test
  void aVerdictWithoutSignatureIsCleanAndRecordedAsClean() {
    ScanVerdict v = new ScanVerdict(SHA, null, "1.4.6", 27400, DB, AT);

    assertInstanceOf(ScanFinding.Clean.class, v.finding());
    assertEquals("clean", v.finding().text());
    assertEquals("1.4.6/27400", v.engineAndDatabase());
  }

  @Test
  void aMatchedSignatureIsInfectedAndNamed() {
    ScanVerdict v = new ScanVerdict(SHA, "Eicar-Signature", "1.4.6", 27400, DB, AT);

    ScanFinding f = v.finding();
    assertEquals(new ScanFinding.Infected("Eicar-Signature"), f);
    assertEquals("infected: Eicar-Signature", f.text());
  }

  @Test
  void theRecordedTextReadsBack() {
    assertEquals(new ScanFinding.Clean(), ScanFinding.parse("clean"));
    assertEquals(
        new ScanFinding.Infected("Win.Test.EICAR_HDB-1"),
        ScanFinding.parse("infected: Win.Test.EICAR_HDB-1"));
  }

  @Test
  void otherTextIsRefusedNamingWhatWasFound() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScanFinding.parse("OK"));
    assertTrue(e.getMessage().contains("\"OK\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ScanFinding.parse("infected: "));
  }
}
