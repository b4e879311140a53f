package io.burnguard.ports.policy;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The two glibc {@code strptime} formats USBGuard 1.1 uses for {@code localtime}, with glibc's
 * reading rules: a numeric field skips leading white space and reads digits while the value stays
 * within its range; {@code :} must match exactly; {@code %s} reads epoch seconds and replaces the
 * whole time with their local time; characters after the format are ignored.
 */
final class Strptime {
  private Strptime() {}

  /** {@code %H:%M:%s}: seconds of the day, or -1 when the text does not match. */
  static int hoursMinutesEpoch(String s) {
    int[] at = {0};
    if (number(s, at, 23) < 0 || !colon(s, at) || number(s, at, 59) < 0 || !colon(s, at)) {
      return -1;
    }
    int i = at[0];
    if (i >= s.length() || !digit(s.charAt(i))) {
      return -1;
    }
    long secs = 0;
    while (i < s.length() && digit(s.charAt(i))) {
      if (secs > Long.MAX_VALUE / 10 - 10) {
        return -1;
      }
      secs = secs * 10 + (s.charAt(i++) - '0');
    }
    if (secs > 253402300799L) {
      return -1; // beyond year 9999: glibc's localtime_r would fail too
    }
    return Instant.ofEpochSecond(secs).atZone(ZoneId.systemDefault()).toLocalTime().toSecondOfDay();
  }

  /** {@code %H:%M}: seconds of the day, or -1 when the text does not match. */
  static int hoursMinutes(String s) {
    int[] at = {0};
    int h = number(s, at, 23);
    if (h < 0 || !colon(s, at)) {
      return -1;
    }
    int m = number(s, at, 59);
    return m < 0 ? -1 : h * 3600 + m * 60;
  }

  private static int number(String s, int[] at, int max) {
    int i = at[0];
    while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    if (i >= s.length() || !digit(s.charAt(i))) {
      return -1;
    }
    int v = 0;
    int digits = 0;
    do {
      v = v * 10 + (s.charAt(i++) - '0');
      digits++;
    } while (digits < 2 && v * 10 <= max && i < s.length() && digit(s.charAt(i)));
    at[0] = i;
    return v > max ? -1 : v;
  }

  private static boolean colon(String s, int[] at) {
    if (at[0] < s.length() && s.charAt(at[0]) == ':') {
      at[0]++;
      return true;
    }
    return false;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
