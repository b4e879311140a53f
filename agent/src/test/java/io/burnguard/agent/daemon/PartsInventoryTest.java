package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.alerts.Alert;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ledger.PartsLedger;
import io.burnguard.agent.parts.Actor;
import io.burnguard.agent.parts.DeviceKind;
import io.burnguard.agent.parts.DeviceProbe;
import io.burnguard.agent.parts.Part;
import io.burnguard.agent.parts.PartEvent;
import io.burnguard.agent.parts.PartEvent.Kind;
import io.burnguard.agent.parts.PartIdentity;
import io.burnguard.agent.parts.PartLifecycle;
import io.burnguard.agent.parts.PartState;
import io.burnguard.agent.parts.ScrapMethod;
import io.burnguard.agent.parts.ScrapRecord;
import io.burnguard.agent.parts.WitnessRecord;
import io.burnguard.agent.testing.TestClock;
import io.burnguard.config.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory's alerts under a clock the test moves (issue 15, "Inventory"): an overdue part is
 * alerted once per overdue period however often the scheduled pass runs, a sighting starts a new
 * period, and a scrapped part seen again is alerted once per inventory interval.
 */
class PartsInventoryTest {
  private static final Duration INTERVAL = Duration.ofDays(7);
  private static final long SIZE = 1 << 20;

  @TempDir Path tmp;

  private final TestClock clock = new TestClock(Instant.parse("2026-11-02T00:00:00Z"));
  private Database db;
  private LedgerService ledger;
  private PartsLedger store;
  private PartsInventory inventory;
  private Path image;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(tmp.resolve("data/burnguard.db"));
    ledger = LedgerService.open(db, clock);
    store = new PartsLedger(db, ledger.chain());
    Path sys = Files.createDirectories(tmp.resolve("sys/block"));
    DeviceProbe probe =
        new DeviceProbe(sys.getParent(), Path.of("/proc/self/mountinfo"), tmp.resolve("data"));
    inventory = new PartsInventory(store, probe, ledger, sys.getParent(), clock);
    image = tmp.resolve("p1.img");
    Files.write(image, new byte[(int) SIZE]);
    Part p =
        Part.received(
            "P1",
            new PartIdentity(DeviceKind.IMAGE_FILE, null, null, SIZE, false),
            "Acme",
            "L1",
            LocalDate.parse("2026-11-01"));
    store.append(
        new PartEvent("P1", Kind.REGISTERED, null, p.state(), "eng", clock.instant(), ""), p);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anOverduePartIsAlertedOnceHoweverOftenTheCheckRuns() throws Exception {
    assertEquals(0, inventory.scheduled(INTERVAL).overdue(), "received yesterday: not overdue");
    clock.advance(INTERVAL);
    PartsInventory.Pass first = inventory.scheduled(INTERVAL);
    assertEquals(1, first.overdue());
    assertEquals(1, first.alerted());
    for (int i = 0; i < 24; i++) {
      clock.advance(Duration.ofHours(1));
      PartsInventory.Pass later = inventory.scheduled(INTERVAL);
      assertEquals(1, later.overdue(), "still overdue at check " + i);
      assertEquals(0, later.alerted(), "not alerted again at check " + i);
    }
    assertEquals(
        0, inventory.pass(List.of(), "qa1", INTERVAL).alerted(), "a manual run does not repeat");
    List<Alert> alerts = alerts(PartsInventory.OVERDUE_ALERT);
    assertEquals(1, alerts.size(), alerts.toString());
    assertEquals(Severity.WARNING, alerts.get(0).severity());
    assertTrue(alerts.get(0).message().contains("part P1"), alerts.get(0).message());
    assertEquals(1, events(Kind.INVENTORY_OVERDUE));
  }

  @Test
  void aSightingStartsANewOverduePeriod() throws Exception {
    clock.advance(INTERVAL);
    assertEquals(1, inventory.scheduled(INTERVAL).alerted());
    clock.advance(Duration.ofHours(1));
    PartsInventory.Pass seen = inventory.pass(List.of(image), "qa1", INTERVAL);
    assertEquals(0, seen.overdue(), "present now");
    assertEquals(image.toString(), store.lastSeen("P1").orElseThrow().device());
    clock.advance(INTERVAL.minusMinutes(1));
    assertEquals(0, inventory.scheduled(INTERVAL).overdue(), "seen less than an interval ago");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(
        1, inventory.scheduled(INTERVAL).alerted(), "overdue again: a new period, a new alert");
    assertEquals(0, inventory.scheduled(INTERVAL).alerted());
    assertEquals(2, alerts(PartsInventory.OVERDUE_ALERT).size());
  }

  @Test
  void aScrappedPartSeenAgainIsAlertedOncePerInterval() throws Exception {
    Part p = store.find("P1").orElseThrow();
    Actor eng = new Actor("eng", Set.of(Role.ENGINEER));
    Actor sec = new Actor("sec", Set.of(Role.SECURITY));
    Part scrapped =
        PartLifecycle.witness(
            PartLifecycle.scrap(
                p, new ScrapRecord(ScrapMethod.SHRED, eng, clock.instant(), "bin 3")),
            new WitnessRecord(sec, clock.instant(), ""));
    assertEquals(PartState.SCRAPPED, scrapped.state());
    store.append(
        new PartEvent(
            "P1", Kind.WITNESSED, p.state(), PartState.SCRAPPED, "sec", clock.instant(), ""),
        scrapped);
    clock.advance(INTERVAL.multipliedBy(3));
    assertEquals(0, inventory.scheduled(INTERVAL).overdue(), "a scrapped part is not expected");
    PartsInventory.Pass first = inventory.pass(List.of(image), "qa1", INTERVAL);
    assertEquals(1, first.scrappedSeen());
    assertEquals(1, first.alerted());
    clock.advance(Duration.ofHours(1));
    assertEquals(0, inventory.pass(List.of(image), "qa1", INTERVAL).alerted());
    clock.advance(INTERVAL);
    assertEquals(
        1, inventory.pass(List.of(image), "qa1", INTERVAL).alerted(), "still there a week later");
    List<Alert> alerts = alerts(PartsInventory.SCRAPPED_ALERT);
    assertEquals(2, alerts.size(), alerts.toString());
    assertEquals(Severity.CRITICAL, alerts.get(0).severity());
    assertFalse(alerts(PartsInventory.OVERDUE_ALERT).size() > 0, "no overdue alert");
  }

  private List<Alert> alerts(String kind) throws Exception {
    return ledger.alerts().list(false, 100).stream().filter(a -> a.kind().equals(kind)).toList();
  }

  private long events(Kind kind) throws Exception {
    return store.events("P1").stream().filter(e -> e.kind() == kind).count();
  }
}
