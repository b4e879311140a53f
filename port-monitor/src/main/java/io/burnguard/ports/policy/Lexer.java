package io.burnguard.ports.policy;

/** Character-level pieces of the rule grammar. Positions are 0-based; columns 1-based. */
final class Lexer {
  private Lexer() {}

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** The position after the blanks at {@code p}. */
  static int blanks(String s, int p) {
    int i = p;
    while (i < s.length() && isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The word at {@code p} (up to a blank, at most 40 chars), escaped for a message. */
  static String word(String s, int p) {
    int i = p;
    while (i < s.length() && !isBlank(s.charAt(i)) && i - p < 40) {
      i++;
    }
    return Escapes.quote(s.substring(p, i)).replaceAll("^\"|\"$", "");
  }

  static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The end of {@code *} or {@code n} hex digits at {@code p}, or -1. */
  static int hexOrStar(String s, int p, int n) {
    if (p < s.length() && s.charAt(p) == '*') {
      return p + 1;
    }
    for (int i = 0; i < n; i++) {
      if (p + i >= s.length() || !isHex(s.charAt(p + i))) {
        return -1;
      }
    }
    return p + n;
  }

  /** The end of a condition identifier ({@code [a-zA-Z-][a-zA-Z0-9-]*}) at {@code p}. */
  static int identifier(String s, int p) {
    int i = p;
    while (i < s.length()) {
      char c = s.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
      if (!(letter || (i > p && c >= '0' && c <= '9'))) {
        break;
      }
      i++;
    }
    return i;
  }

  /**
   * The end (after {@code close}) of a string opened at {@code p}, or -1 when there is no {@code
   * open} at {@code p}. Once opened, the string must be well formed: no line break, a valid escape
   * after each backslash ({@code \xHH}, up to three digits, one of {@code abfnrtv\'0}, or the
   * closing character), and a closing character before the end of the line.
   */
  static int boundedString(String s, int p, char open, char close) throws RuleSyntaxException {
    if (p >= s.length() || s.charAt(p) != open) {
      return -1;
    }
    int i = p + 1;
    while (true) {
      if (i >= s.length()) {
        throw new RuleSyntaxException(
            i + 1, "the string opened at column " + (p + 1) + " has no closing " + close);
      }
      char c = s.charAt(i);
      if (c == close) {
        return i + 1;
      }
      if (c == '\r' || c == '\n') {
        throw new RuleSyntaxException(
            i + 1,
            "line break inside the string opened at column "
                + (p + 1)
                + "; close it with "
                + close);
      }
      i = c == '\\' ? escapeEnd(s, i + 1, close) : i + 1;
    }
  }

  private static int escapeEnd(String s, int i, char close) throws RuleSyntaxException {
    if (i >= s.length()) {
      throw new RuleSyntaxException(
          i + 1, "a backslash at the end of the line; expected an" + " escape (\\\" \\\\ \\xHH)");
    }
    char c = s.charAt(i);
    if (c == 'x') {
      for (int k = 1; k <= 2; k++) {
        if (i + k >= s.length() || !isHex(s.charAt(i + k))) {
          throw new RuleSyntaxException(i + k + 1, "\\x must be followed by two hex digits");
        }
      }
      return i + 3;
    }
    if (c >= '0' && c <= '9') {
      int j = i + 1;
      while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
        j++;
      }
      return j;
    }
    if ("abfnrtv\\'\n".indexOf(c) >= 0 || c == close) {
      return i + 1;
    }
    throw new RuleSyntaxException(
        i + 1,
        "unknown escape \\"
            + Escapes.quote(String.valueOf(c)).charAt(1)
            + "; expected \\\" \\\\ or \\xHH");
  }

  /**
   * The value of a string's inside: {@code \"}, {@code \\} and {@code \xHH} are the escapes
   * USBGuard 1.1 decodes; any other escape is refused at {@code column} (the string's start).
   */
  static String unescape(String raw, int column) throws RuleSyntaxException {
    StringBuilder b = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char d = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
      if (d == '"' || d == '\\') {
        b.append(d);
        i++;
      } else if (d == 'x') {
        b.append((char) Integer.parseInt(raw.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        throw new RuleSyntaxException(
            column,
            "unknown escape sequence in this string; USBGuard decodes only \\\" \\\\ and"
                + " \\xHH (write a tab as \\x09)");
      }
    }
    return b.toString();
  }
}
