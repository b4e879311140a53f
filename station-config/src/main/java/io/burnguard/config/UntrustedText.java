package io.burnguard.config;

import java.util.Locale;

/**
 * The one place where text from outside (a device console, a server, a request, a USB descriptor, a
 * uevent) is made safe before it reaches a terminal, a log or the ledger.
 *
 * <p>Threat: a device under test or a hostile peer answers with terminal control sequences ({@code
 * ESC[2J ESC[32mPASS}, OSC window titles ending in BEL), bidirectional overrides (U+202E) that make
 * a line read backwards, or megabytes of text. Printed raw, such text repaints the operator's
 * screen (a FAIL shown as PASS), forges log lines (CR LF) or hides a barcode's real characters.
 *
 * <p>{@link #neutralize} escapes instead of dropping, so an auditor still sees what was sent: C0
 * controls, DEL and C1 controls become {@code \xNN} ({@code \n}, {@code \r}, {@code \t} for the
 * usual three), format characters (Unicode category Cf: bidi controls, zero-width characters, BOM),
 * line and paragraph separators and lone surrogates become backslash-u{NNNN}, and a backslash is
 * doubled so an escape can never be forged. The result is bounded; what is cut is counted. {@link
 * #problem} is the strict form for fields people type (a rework reason, a note): it names the first
 * character that would have to be escaped, so the request can be refused instead.
 */
public final class UntrustedText {
  /** A bound suited to one line of a message: a device reply, a reason. */
  public static final int LINE = 512;

  private UntrustedText() {}

  /** {@code s} with every unsafe character escaped, at most {@code max} characters of it kept. */
  public static String neutralize(CharSequence s, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, found " + max);
    }
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 16);
    int i = 0;
    int kept = 0;
    while (i < s.length() && kept < max) {
      int cp = Character.codePointAt(s, i);
      int width = Character.charCount(cp);
      if (Character.isSurrogate(s.charAt(i)) && width == 1) {
        out.append(String.format(Locale.ROOT, "\\u{%04X}", (int) s.charAt(i)));
      } else {
        appendEscaped(out, cp);
      }
      i += width;
      kept++;
    }
    if (i < s.length()) {
      out.append(String.format(Locale.ROOT, "... (%d more chars)", s.length() - i));
    }
    return out.toString();
  }

  /** {@link #neutralize(CharSequence, int)} bounded to {@link #LINE}. */
  public static String neutralize(CharSequence s) {
    return neutralize(s, LINE);
  }

  /**
   * Why {@code s} is not acceptable as typed free text of at most {@code max} characters, or null
   * when it is: too long, or holding a character {@link #neutralize} would escape (other than the
   * backslash, which is harmless when typed).
   */
  public static String problem(String s, int max) {
    if (s == null) {
      return null;
    }
    if (s.codePointCount(0, s.length()) > max) {
      return String.format(
          Locale.ROOT,
          "is %d characters long; at most %d are accepted",
          s.codePointCount(0, s.length()),
          max);
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int width = Character.charCount(cp);
      if (unsafe(cp) || (Character.isSurrogate(s.charAt(i)) && width == 1)) {
        return String.format(
            Locale.ROOT,
            "holds the control or formatting character U+%04X at position %d; use printable"
                + " text on one line",
            cp,
            s.offsetByCodePoints(0, 0) + s.codePointCount(0, i) + 1);
      }
      i += width;
    }
    return null;
  }

  private static boolean unsafe(int cp) {
    int type = Character.getType(cp);
    return cp < 0x20
        || (cp >= 0x7f && cp <= 0x9f)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE;
  }

  private static void appendEscaped(StringBuilder out, int cp) {
    switch (cp) {
      case '\\' -> out.append("\\\\");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
          out.append(String.format(Locale.ROOT, "\\x%02X", cp));
        } else if (unsafe(cp)) {
          out.append(String.format(Locale.ROOT, "\\u{%04X}", cp));
        } else {
          out.appendCodePoint(cp);
        }
      }
    }
  }
}
