package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.burnguard.agent.testing.TestClock;
import io.burnguard.config.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 12, finding 5: a denial flood becomes a few entries whose counts add up exactly. */
class RefusalCoalescerTest {
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  private final TestClock clock = new TestClock(T0);
  private final List<Denial> recorded = new CopyOnWriteArrayList<>();
  private final RefusalCoalescer c =
      new RefusalCoalescer(recorded::add, clock, Duration.ofSeconds(60));
  private final Caller mallory = new Caller("mallory", 1005, List.of("line3"), Set.of(Role.QA));

  @Test
  void theFirstIsRecordedAtOnceAndRepeatsAsOneEntryWithTheirExactCountAndRange() {
    c.refusedAndRecord(Denial.Kind.ROLE, mallory, "audit.verify", "security");
    assertEquals(1, recorded.size());
    assertEquals(1, recorded.get(0).count());
    for (int i = 0; i < 14_579; i++) {
      clock.advance(Duration.ofMillis(1));
      c.refusedAndRecord(Denial.Kind.ROLE, mallory, "audit.verify", "security");
    }
    c.flushDue();
    assertEquals(1, recorded.size(), "the window (60 s) has not ended: only counted");
    clock.advance(Duration.ofSeconds(46));
    c.flushDue();
    assertEquals(2, recorded.size());
    Denial repeats = recorded.get(1);
    assertEquals(14_579, repeats.count());
    assertEquals(T0.plusMillis(1), repeats.first());
    assertEquals(T0.plusMillis(14_579), repeats.last());
    assertEquals("security", repeats.reason());
  }

  @Test
  void aQuietWindowForgetsTheKeySoTheNextRefusalIsRecordedAtOnceAgain() {
    c.refusedAndRecord(Denial.Kind.ROLE, mallory, "units", "qa");
    clock.advance(Duration.ofSeconds(61));
    c.flushDue();
    assertEquals(1, recorded.size(), "nothing more to record");
    c.refusedAndRecord(Denial.Kind.ROLE, mallory, "units", "qa");
    assertEquals(2, recorded.size());
    assertEquals(1, recorded.get(1).count());
  }

  @Test
  void keysAreSeparateAndClosingFlushesWhatIsPending() {
    assertEquals(1, c.refused(Denial.Kind.BUSY, mallory, "connect", "busy").count());
    assertNull(c.refused(Denial.Kind.BUSY, mallory, "connect", "busy"));
    assertNull(c.refused(Denial.Kind.BUSY, mallory, "connect", "busy"));
    c.refusedAndRecord(Denial.Kind.ROLE, mallory, "ports", "security");
    c.refusedAndRecord(Denial.Kind.ROLE, mallory, "ports", "security");
    assertEquals(1, recorded.size(), "the first busy was returned to the caller, not recorded");
    c.close();
    assertEquals(3, recorded.size());
    long busy =
        recorded.stream().filter(d -> d.kind() == Denial.Kind.BUSY).mapToLong(Denial::count).sum();
    assertEquals(2, busy);
  }
}
