package io.burnguard.agent.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The one time format of the ledger and the audit chain: UTC, ISO-8601, fixed-width milliseconds
 * ({@code 2026-11-21T08:00:00.000Z}). Fixed width makes text order equal time order, so SQLite
 * indexes serve {@code --since/--until} ranges and {@code ORDER BY}.
 */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** Formats an instant, truncated to milliseconds. */
  public static String format(Instant t) {
    return FORMAT.format(t.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Parses a stored or user-given time: any ISO-8601 instant ({@code 2026-11-21T08:00:00Z}) or a
   * bare date ({@code 2026-11-21}, meaning its start in UTC).
   *
   * @throws IllegalArgumentException naming the expected forms
   */
  public static Instant parse(String text) {
    try {
      if (text.length() == 10) {
        return java.time.LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "time \"" + text + "\" is not understood; expected 2026-11-21 or 2026-11-21T08:00:00Z",
          e);
    }
  }
}
