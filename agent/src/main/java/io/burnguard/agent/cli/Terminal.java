package io.burnguard.agent.cli;

import io.burnguard.config.UntrustedText;

/**
 * What the CLI prints for people passes through here (docs/decisions.md, "Hostile text"). Messages
 * and fields from the daemon carry text that came from a device, a server or a request; the daemon
 * neutralises it where it enters, and this is the last guard before a terminal: a line holding a
 * control, bidi or format character is escaped with {@link UntrustedText}, a clean line is printed
 * unchanged (so text the daemon already escaped is not escaped twice). Line breaks between lines
 * are kept. JSON output does not come here: Jackson escapes it.
 */
final class Terminal {
  /** Bound of one printed line; a longer one is cut and the cut counted. */
  static final int MAX_LINE = 8192;

  private Terminal() {}

  /** {@code text}, each line safe for a terminal. */
  static String safe(String text) {
    if (text == null) {
      return "";
    }
    String[] lines = text.split("\n", -1);
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        b.append('\n');
      }
      b.append(line(lines[i]));
    }
    return b.toString();
  }

  private static String line(String l) {
    String s = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    String cr = s.length() == l.length() ? "" : "\r";
    if (s.length() <= MAX_LINE && UntrustedText.problem(s, MAX_LINE) == null) {
      return s + cr;
    }
    return UntrustedText.neutralize(s, MAX_LINE) + cr;
  }
}
