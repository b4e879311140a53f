package io.burnguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesTheShortFormsAndIso() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertEquals(Duration.ofDays(7), Durations.parse("7d"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("PT5M"));
  }

  @Test
  void refusesOtherText() {
    assertNull(Durations.parse("5 minutes"));
    assertNull(Durations.parse("-5s"));
    assertNull(Durations.parse("PT-5S"));
    assertNull(Durations.parse(""));
    assertNull(Durations.parse("5w"));
  }

  @Test
  void formatsShort() {
    assertEquals("3d", Durations.format(Duration.ofDays(3)));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
  }
}
