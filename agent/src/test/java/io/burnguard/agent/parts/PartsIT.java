package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.parts.PartEvent.Kind;
import io.burnguard.config.Role;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts service end to end on image files, with an in-memory store. */
class PartsIT {
  private static final long SIZE = 4L << 20;
  private static final Actor ENG = new Actor("eve", Set.of(Role.ENGINEER));
  private static final Actor SEC = new Actor("sid", Set.of(Role.SECURITY));
  private static final Actor OP = new Actor("olga", Set.of(Role.OPERATOR));

  @TempDir Path tmp;
  private final MemoryPartsStore store = new MemoryPartsStore();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
  private Parts parts;
  private Path img;

  @BeforeEach
  void setUp() throws Exception {
    DeviceProbe probe =
        new DeviceProbe(Path.of("/sys"), Path.of("/proc/self/mountinfo"), tmp.resolve("data"));
    PartsPolicy policy =
        new PartsPolicy(
            "st1", List.of("acme"), FileSystemType.VFAT, "BG${part}", Verification.full());
    parts = new Parts(store, probe, new Sanitizer(clock), policy, "BurnGuard test", clock);
    img = SanitizerIT.plantedImage(tmp.resolve("p.img"), SIZE);
  }

  private Part register() throws Exception {
    return parts.register("p7", img, "acme", "L1", LocalDate.parse("2026-11-29"), ENG);
  }

  private static SanitizeProgress.Listener interruptAtHalf() {
    return p -> {
      if (p.phase() == SanitizeProgress.Phase.OVERWRITE && p.done() >= SIZE / 2) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void anUnknownSupplierOrAnOperatorCannotRegister() {
    PartRefused e =
        assertThrows(
            PartRefused.class,
            () -> parts.register("p7", img, "shady", "L1", LocalDate.now(clock), ENG));
    assertEquals(PartRefused.Reason.UNKNOWN_SUPPLIER, e.reason());
    assertTrue(e.getMessage().contains("\"shady\" is not in parts.suppliers [acme]"));
    assertEquals(
        PartRefused.Reason.WRONG_ROLE,
        assertThrows(
                PartRefused.class,
                () -> parts.register("p7", img, "acme", "L1", LocalDate.now(clock), OP))
            .reason());
    assertTrue(store.parts.isEmpty());
  }

  @Test
  void aSanitizeInterruptedMidwayLeavesThePartNotSanitizedAndOnRecord() throws Exception {
    register();
    assertThrows(SanitizeException.class, () -> parts.sanitize("p7", img, ENG, interruptAtHalf()));
    Thread.interrupted();
    assertEquals(PartState.RECEIVED, store.find("p7").orElseThrow().state());
    assertTrue(store.certificate("p7").isEmpty());
    assertEquals(
        List.of(Kind.REGISTERED, Kind.SANITIZE_STARTED, Kind.SANITIZE_INTERRUPTED),
        store.events("p7").stream().map(PartEvent::kind).toList());
  }

  @Test
  void aSanitizedPartWhoseResanitizeIsCutGoesBackToReceived() throws Exception {
    register();
    Certificate c = parts.sanitize("p7", img, ENG, SanitizeProgress.Listener.none());
    assertEquals(PartState.SANITIZED, store.find("p7").orElseThrow().state());
    assertEquals("BGP7", c.label());
    assertEquals("eve", c.operator());
    assertEquals("disk image file", c.mediaType());
    assertEquals(c, store.certificate("p7").orElseThrow());
    assertThrows(SanitizeException.class, () -> parts.sanitize("p7", img, ENG, interruptAtHalf()));
    Thread.interrupted();
    assertEquals(
        PartState.RECEIVED,
        store.find("p7").orElseThrow().state(),
        "the old certificate no longer describes a half-overwritten part");
  }

  @Test
  void aDetectionSendsThePartBackAndScrapNeedsTwoPeople() throws Exception {
    register();
    parts.sanitize("p7", img, ENG, SanitizeProgress.Listener.none());
    PartScanReport dirty =
        new PartScanReport(
            img.toString(),
            null,
            "FAT",
            1,
            List.of(new PartScanReport.Detection("/a.exe", "Eicar-Test")));
    assertEquals(PartState.RECEIVED, parts.scanned("p7", dirty, SEC).state());
    Actor both = new Actor("sam", Set.of(Role.ENGINEER, Role.SECURITY));
    parts.scrap("p7", ScrapMethod.SHRED, "job 12", both);
    assertEquals(
        TransitionRefused.Reason.SAME_PERSON,
        assertThrows(TransitionRefused.class, () -> parts.witness("p7", "", both)).reason());
    assertEquals(
        TransitionRefused.Reason.WRONG_ROLE,
        assertThrows(TransitionRefused.class, () -> parts.witness("p7", "", ENG)).reason());
    assertEquals(PartState.SCRAPPED, parts.witness("p7", "seen", SEC).state());
    assertEquals(Kind.WITNESSED, store.events("p7").get(store.events("p7").size() - 1).kind());
  }

  @Test
  void aPartIsNotSanitizedOnAnotherDevice() throws Exception {
    register();
    Path other = SanitizerIT.plantedImage(tmp.resolve("other.img"), SIZE * 2);
    DeviceRefused e =
        assertThrows(
            DeviceRefused.class,
            () -> parts.sanitize("p7", other, ENG, SanitizeProgress.Listener.none()));
    assertEquals(DeviceRefused.Reason.SIZE_MISMATCH, e.reason());
    assertTrue(Sh.contains(other, SanitizerIT.MARKER), "nothing was written");
    assertEquals(
        List.of(Kind.REGISTERED), store.events("p7").stream().map(PartEvent::kind).toList());
  }

  @Test
  void aPartWhoseLabelWouldNotFitIsRefusedAtRegistration() {
    PartRefused e =
        assertThrows(
            PartRefused.class,
            () -> parts.register("P1234567890", img, "acme", "L1", LocalDate.now(clock), ENG));
    assertEquals(PartRefused.Reason.LABEL_INVALID, e.reason());
    assertTrue(e.getMessage().contains("BGP1234567890"), e.getMessage());
    assertTrue(store.parts.isEmpty());
  }
}
