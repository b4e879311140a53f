package io.burnguard.ports.policy;

import java.util.Locale;

/**
 * USBGuard's string escaping. Strings are byte strings (one char per byte, ISO-8859-1): the quote
 * and the backslash are escaped with a backslash, printable ASCII is kept, every other byte is
 * written {@code \xhh}. Unescaping accepts exactly what USBGuard 1.1 accepts: {@code \"}, {@code
 * \\} and {@code \xHH}.
 */
final class Escapes {
  private Escapes() {}

  static String quote(String raw) {
    StringBuilder b = new StringBuilder(raw.length() + 2).append('"');
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format(Locale.ROOT, "\\x%02x", c & 0xff));
      }
    }
    return b.append('"').toString();
  }
}
