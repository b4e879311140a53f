package io.burnguard.agent.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds which packages of the agent a Java source file refers to: through imports (plain, static,
 * wildcard) and through fully qualified names in code. Comments, string and character literals and
 * text blocks are blanked first, so a package named in Javadoc or a message is not a dependency. A
 * plain text scan, not a compiler: it sees every reference that can be written in source, including
 * constants the compiler would inline, which a scan of class files would miss.
 */
final class SourceScanner {
  /** The root package; references outside it are not layered here. */
  static final String ROOT = "io.burnguard.agent";

  private static final Pattern PACKAGE =
      Pattern.compile("^\\s*package\\s+([a-zA-Z0-9_.]+)\\s*;", Pattern.MULTILINE);

  /** Lower-case segments after the root: the package part of a qualified name. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.burnguard\\.agent((?:\\s*\\.\\s*[a-z_][a-z0-9_]*)+)");

  /** One reference from a source file to another package of the agent. */
  record Reference(String file, int line, String from, String to) {}

  private SourceScanner() {}

  /** The references of {@code source} (named {@code file} in results) to other agent packages. */
  static List<Reference> references(String file, String source) {
    String code = blankCommentsAndLiterals(source);
    Matcher pm = PACKAGE.matcher(code);
    if (!pm.find()) {
      throw new IllegalArgumentException(file + " has no package declaration");
    }
    String from = pm.group(1);
    List<Reference> refs = new ArrayList<>();
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      if (m.start() >= pm.start() && m.start() < pm.end()) {
        continue;
      }
      String to = ROOT + m.group(1).replaceAll("\\s", "");
      if (!to.equals(from)) {
        refs.add(new Reference(file, lineOf(code, m.start()), from, to));
      }
    }
    return refs;
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Replaces comments and literals by spaces, keeping line breaks so line numbers hold. */
  static String blankCommentsAndLiterals(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int end = endOfNonCode(s, i);
      if (end == i) {
        out.append(s.charAt(i));
        i++;
        continue;
      }
      for (int k = i; k < end; k++) {
        out.append(s.charAt(k) == '\n' ? '\n' : ' ');
      }
      i = end;
    }
    return out.toString();
  }

  /**
   * The end of the comment or literal starting at {@code i}, or {@code i} when code starts there.
   */
  private static int endOfNonCode(String s, int i) {
    if (s.startsWith("//", i)) {
      int nl = s.indexOf('\n', i);
      return nl < 0 ? s.length() : nl;
    }
    if (s.startsWith("/*", i)) {
      int close = s.indexOf("*/", i + 2);
      return close < 0 ? s.length() : close + 2;
    }
    if (s.startsWith("\"\"\"", i)) {
      int close = s.indexOf("\"\"\"", i + 3);
      while (close > 0 && s.charAt(close - 1) == '\\') {
        close = s.indexOf("\"\"\"", close + 1);
      }
      return close < 0 ? s.length() : close + 3;
    }
    char c = s.charAt(i);
    if (c == '"' || c == '\'') {
      int k = i + 1;
      while (k < s.length() && s.charAt(k) != c && s.charAt(k) != '\n') {
        k += s.charAt(k) == '\\' ? 2 : 1;
      }
      return Math.min(k + 1, s.length());
    }
    return i;
  }
}
