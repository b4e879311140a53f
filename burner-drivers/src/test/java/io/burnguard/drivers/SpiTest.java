package io.burnguard.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpiTest {
  private static final byte[] DATA = "123456789".getBytes(StandardCharsets.US_ASCII);

  private static BurnJob job() throws Exception {
    return BurnJob.of(
        "fw.bin",
        () -> new ByteArrayInputStream(DATA),
        Map.of(),
        List.of(),
        List.of("crc32"),
        Map.of());
  }

  @Test
  void unknownDriverNamesWhatWasFoundAndWhatIsKnown() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BurnerDrivers.named("uboot-xmodem"));
    assertTrue(
        e.getMessage().contains("found 'uboot-xmodem'; known: uboot-serial, uboot-tftp"),
        e.getMessage());
  }

  @Test
  void knownDriversAreFoundByName() {
    assertEquals("uboot-tftp", BurnerDrivers.named("uboot-tftp").name());
    assertEquals("uboot-serial", BurnerDrivers.named("uboot-serial").name());
    assertEquals(List.of("uboot-serial", "uboot-tftp"), BurnerDrivers.names());
  }

  @Test
  void jobDigestsAreComputed() throws Exception {
    BurnJob j = job();
    assertEquals(9, j.length());
    assertEquals("cbf43926", j.crc32Hex()); // the CRC-32 check value of "123456789"
    assertEquals("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225", j.sha256());
  }

  @Test
  void jobRefusesUnsafeNamesAndEmptyReadBack() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BurnJob(
                "a;reset",
                () -> null,
                1,
                "0".repeat(64),
                0,
                Map.of(),
                List.of(),
                List.of("crc32"),
                Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BurnJob(
                "a.bin",
                () -> null,
                1,
                "0".repeat(64),
                0,
                Map.of(),
                List.of(),
                List.of(),
                Map.of()));
  }

  @Test
  void passedNeedsAMatchingReadBack() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BurnOutcome.passed(new ReadBack("crc32", "cbf43926", "00000000"), Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BurnOutcome(
                BurnOutcome.Status.PASSED, Phase.VERIFY, "ok", Optional.empty(), Duration.ZERO));
    BurnOutcome ok =
        BurnOutcome.passed(new ReadBack("crc32", "CBF43926", "cbf43926"), Duration.ZERO);
    assertTrue(ok.isPassed());
    BurnOutcome bad = BurnOutcome.failed(Phase.WRITE, "x", Optional.empty(), Duration.ZERO);
    assertFalse(bad.isPassed());
    assertEquals(Phase.WRITE, bad.phase());
  }

  @Test
  void cancellationKeepsTheFirstReason() {
    CancellationToken t = CancellationToken.create();
    assertFalse(t.isCancelled());
    t.cancel("operator pressed stop");
    t.cancel("shutdown");
    assertEquals("operator pressed stop", t.reason());
  }
}
