package io.burnguard.agent.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.parts.TransitionRefused.Reason;
import io.burnguard.config.Role;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every move from every state: the legal ones land where they should, the rest are refused. */
class PartLifecycleTest {
  static final Actor ENG = new Actor("eve", Set.of(Role.ENGINEER));
  static final Actor ENG_AND_SEC = new Actor("sam", Set.of(Role.ENGINEER, Role.SECURITY));
  static final Actor SEC = new Actor("sid", Set.of(Role.SECURITY));
  static final Actor QA = new Actor("quinn", Set.of(Role.QA));
  static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

  static Part received() {
    return Part.received(
        "P0001",
        new PartIdentity(
            DeviceKind.BLOCK_DEVICE,
            "4C53",
            "Cruzer",
            1L << 30,
            true,
            new UsbIdentity("0781", "5567", "SanDisk", "Cruzer Blade", "4C53", "1-2")),
        "acme",
        "L7",
        LocalDate.parse("2026-11-28"));
  }

  /** A part in {@code s}, reached through legal moves only. */
  static Part in(PartState s) throws TransitionRefused {
    Part p = received();
    return switch (s) {
      case RECEIVED -> p;
      case SANITIZED -> PartLifecycle.sanitized(p);
      case INSTALLED -> PartLifecycle.install(PartLifecycle.sanitized(p), "6901234567892");
      case IN_USE -> PartLifecycle.use(PartLifecycle.sanitized(p));
      case SCRAPPED ->
          PartLifecycle.witness(
              PartLifecycle.scrap(p, new ScrapRecord(ScrapMethod.SHRED, ENG, T, "")),
              new WitnessRecord(SEC, T, ""));
    };
  }

  private static final Map<String, Set<PartState>> LEGAL_FROM =
      Map.of(
          "sanitized", EnumSet.of(PartState.RECEIVED, PartState.SANITIZED, PartState.IN_USE),
          "install", EnumSet.of(PartState.SANITIZED),
          "use", EnumSet.of(PartState.SANITIZED),
          "malware", EnumSet.of(PartState.RECEIVED, PartState.SANITIZED, PartState.IN_USE),
          "scrap", EnumSet.complementOf(EnumSet.of(PartState.SCRAPPED)));

  private static Part move(String m, Part p) throws TransitionRefused {
    return switch (m) {
      case "sanitized" -> PartLifecycle.sanitized(p);
      case "install" -> PartLifecycle.install(p, "6901234567892");
      case "use" -> PartLifecycle.use(p);
      case "malware" -> PartLifecycle.malwareFound(p);
      case "scrap" -> PartLifecycle.scrap(p, new ScrapRecord(ScrapMethod.CRUSH, ENG, T, "j1"));
      default -> throw new IllegalArgumentException(m);
    };
  }

  @Test
  void everyMoveFromEveryStateIsAllowedExactlyWhereTheLifecycleSays() throws Exception {
    int refused = 0;
    for (String m : LEGAL_FROM.keySet()) {
      for (PartState s : PartState.values()) {
        Part p = in(s);
        if (LEGAL_FROM.get(m).contains(s)) {
          assertNotNull(move(m, p), m + " from " + s);
        } else {
          TransitionRefused e =
              assertThrows(
                  TransitionRefused.class, () -> move(m, p), m + " from " + s + " must be refused");
          assertEquals(s, e.current());
          assertEquals(Reason.ILLEGAL_STATE, e.reason());
          assertTrue(e.getMessage().contains("is " + s + ": cannot"), e.getMessage());
          refused++;
        }
      }
    }
    assertEquals(2 + 4 + 4 + 2 + 1, refused, "illegal (move, state) pairs");
  }

  @Test
  void legalMovesLandInTheirStates() throws Exception {
    assertEquals(PartState.SANITIZED, PartLifecycle.sanitized(received()).state());
    Part installed = in(PartState.INSTALLED);
    assertEquals(PartState.INSTALLED, installed.state());
    assertEquals("6901234567892", installed.unitBarcode());
    assertEquals(PartState.IN_USE, in(PartState.IN_USE).state());
    assertEquals(PartState.RECEIVED, PartLifecycle.malwareFound(in(PartState.IN_USE)).state());
    assertEquals(PartState.SANITIZED, PartLifecycle.sanitized(in(PartState.IN_USE)).state());
  }

  @Test
  void aScrappedPartKeepsItsUnitAndBothRecords() throws Exception {
    Part p =
        PartLifecycle.scrap(
            in(PartState.INSTALLED), new ScrapRecord(ScrapMethod.DISINTEGRATE, ENG, T, ""));
    assertEquals(PartState.INSTALLED, p.state(), "not scrapped before the witness");
    Part done = PartLifecycle.witness(p, new WitnessRecord(SEC, T.plusSeconds(60), "seen"));
    assertEquals(PartState.SCRAPPED, done.state());
    assertEquals("6901234567892", done.unitBarcode());
    assertEquals("eve", done.scrap().by().user());
    assertEquals("sid", done.witness().by().user());
  }

  @Test
  void aWitnessWithoutAScrapRecordIsRefused() throws Exception {
    expect(
        Reason.NO_SCRAP_RECORD,
        "no scrap record",
        () -> PartLifecycle.witness(in(PartState.SANITIZED), new WitnessRecord(SEC, T, "")));
  }

  @Test
  void theSamePersonCannotScrapAndWitness() throws Exception {
    Part p =
        PartLifecycle.scrap(received(), new ScrapRecord(ScrapMethod.SHRED, ENG_AND_SEC, T, ""));
    expect(
        Reason.SAME_PERSON,
        "sam recorded the scrapping",
        () -> PartLifecycle.witness(p, new WitnessRecord(ENG_AND_SEC, T, "")));
  }

  @Test
  void aWitnessWithoutTheSecurityRoleIsRefused() throws Exception {
    Part p = PartLifecycle.scrap(received(), new ScrapRecord(ScrapMethod.SHRED, ENG, T, ""));
    expect(
        Reason.WRONG_ROLE,
        "quinn does not have the security role",
        () -> PartLifecycle.witness(p, new WitnessRecord(QA, T, "")));
    expect(
        Reason.WRONG_ROLE,
        "does not have the security role",
        () ->
            PartLifecycle.witness(
                p, new WitnessRecord(new Actor("ed", Set.of(Role.ENGINEER)), T, "")));
  }

  @Test
  void scrapNeedsAnEngineerAndOnlyOneRecord() throws Exception {
    expect(
        Reason.WRONG_ROLE,
        "sid does not have the engineer role",
        () -> PartLifecycle.scrap(received(), new ScrapRecord(ScrapMethod.SHRED, SEC, T, "")));
    Part p = PartLifecycle.scrap(received(), new ScrapRecord(ScrapMethod.SHRED, ENG, T, ""));
    expect(
        Reason.ALREADY_SCRAP_RECORDED,
        "by eve exists",
        () -> PartLifecycle.scrap(p, new ScrapRecord(ScrapMethod.CRUSH, ENG_AND_SEC, T, "")));
  }

  @Test
  void aPartAwaitingItsWitnessCannotBeSanitizedInstalledOrUsed() throws Exception {
    Part p =
        PartLifecycle.scrap(
            in(PartState.SANITIZED), new ScrapRecord(ScrapMethod.SHRED, ENG, T, ""));
    expect(Reason.ILLEGAL_STATE, "awaits a witness", () -> PartLifecycle.sanitized(p));
    expect(Reason.ILLEGAL_STATE, "awaits a witness", () -> PartLifecycle.install(p, "X1"));
    expect(Reason.ILLEGAL_STATE, "awaits a witness", () -> PartLifecycle.use(p));
  }

  @Test
  void aScrappedPartCannotBeWitnessedAgain() throws Exception {
    expect(
        Reason.ILLEGAL_STATE,
        "already scrapped",
        () -> PartLifecycle.witness(in(PartState.SCRAPPED), new WitnessRecord(SEC, T, "")));
  }

  @Test
  void installNeedsABarcode() throws Exception {
    expect(Reason.NO_UNIT, "barcode", () -> PartLifecycle.install(in(PartState.SANITIZED), " "));
  }

  @Test
  void aScrappedRecordWithoutAWitnessCannotBeBuilt() {
    Part p = received();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Part(
                p.id(),
                p.identity(),
                p.supplier(),
                p.lot(),
                p.received(),
                PartState.SCRAPPED,
                null,
                new ScrapRecord(ScrapMethod.SHRED, ENG, T, ""),
                null));
  }

  private static void expect(Reason r, String text, Executable e) {
    TransitionRefused x = assertThrows(TransitionRefused.class, e);
    assertEquals(r, x.reason(), x.getMessage());
    assertTrue(x.getMessage().contains(text), x.getMessage());
  }
}
