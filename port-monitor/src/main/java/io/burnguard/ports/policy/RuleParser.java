package io.burnguard.ports.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Parser for one line of a rules file, in USBGuard 1.1's grammar, with its error positions.
 *
 * <p>Design. USBGuard parses each line with a PEG grammar; a line is empty, a comment ({@code #},
 * blanks allowed before it), or a rule: a target at column 1, then an optional bare device id, then
 * blank-separated attributes, then an optional comment; no trailing blanks. Errors are reported
 * where USBGuard reports them, so that a site's error list looks the same in both:
 *
 * <ul>
 *   <li>a rule that stops matching (unknown word, missing value, trailing blanks) is reported just
 *       after the last element that parsed;
 *   <li>inside a quoted string or a condition argument, at the offending character (an unterminated
 *       string at the end of the line);
 *   <li>a value that parses but means nothing (bad escape, {@code *:1234}, {@code 03:*:01}, an
 *       unknown condition, a repeated attribute) at the start of that value or keyword.
 * </ul>
 *
 * <p>BurnGuard's own clauses come after a {@code ;}, where USBGuard always reports an error, so
 * they can never change the meaning of a file USBGuard accepts.
 */
final class RuleParser {
  private static final String[] TARGETS = {"allow", "block", "reject", "match", "device"};
  private static final String[] OPERATORS = {
    "all-of", "one-of", "none-of", "equals-ordered", "equals", "match-all"
  };
  static final String ATTRIBUTES =
      "id, name, hash, parent-hash, serial, via-port, with-interface, with-connect-type, if,"
          + " label";

  /** The attribute keywords in USBGuard's order of trial. */
  enum Kind {
    ID("id"),
    NAME("name"),
    HASH("hash"),
    PARENT_HASH("parent-hash"),
    SERIAL("serial"),
    VIA_PORT("via-port"),
    WITH_INTERFACE("with-interface"),
    WITH_CONNECT_TYPE("with-connect-type"),
    IF("if"),
    LABEL("label");

    final String keyword;

    Kind(String keyword) {
      this.keyword = keyword;
    }
  }

  private final String s;
  private final int line;
  private Target target;
  private final Map<Kind, List<Object>> values = new EnumMap<>(Kind.class);
  private final Map<Kind, SetOperator> ops = new EnumMap<>(Kind.class);
  private final Extensions extensions;

  private RuleParser(String s, int line) {
    this.s = s;
    this.line = line;
    this.extensions = new Extensions(s);
  }

  /** The rule on {@code text}, or null for an empty or comment line. */
  static Rule parse(String text, int line) throws RuleSyntaxException {
    return new RuleParser(text, line).rule();
  }

  private Rule rule() throws RuleSyntaxException {
    if (s.isEmpty() || commentAt(0)) {
      return null;
    }
    int end = targetAt();
    int p = Lexer.blanks(s, end);
    if (p > end) {
      Integer e = deviceIdAt(p, Kind.ID, true);
      end = e == null ? end : e;
    }
    while (true) {
      p = Lexer.blanks(s, end);
      Integer e = p > end ? attributeAt(p) : null;
      if (e == null) {
        break;
      }
      end = e;
    }
    p = Lexer.blanks(s, end);
    if (p < s.length() && s.charAt(p) == ';') {
      end = extensions.parse(p, target);
    }
    if (end != s.length() && !commentAt(end)) {
      throw new RuleSyntaxException(end + 1, unexpected(end));
    }
    return build();
  }

  private String unexpected(int end) {
    int p = Lexer.blanks(s, end);
    String found =
        p >= s.length()
            ? "blanks at the end of the line"
            : "'" + Lexer.word(s, p) + "' at column " + (p + 1);
    return "found "
        + found
        + "; expected an attribute ("
        + ATTRIBUTES
        + ") with its value, a '#' comment or the end of the line";
  }

  private boolean commentAt(int p) {
    int q = Lexer.blanks(s, p);
    return q < s.length() && s.charAt(q) == '#';
  }

  private int targetAt() throws RuleSyntaxException {
    for (String t : TARGETS) {
      if (s.startsWith(t, 0)) {
        target = Target.valueOf(t.toUpperCase(java.util.Locale.ROOT));
        return t.length();
      }
    }
    throw new RuleSyntaxException(
        1,
        "found '"
            + Lexer.word(s, 0)
            + "'; expected a rule target at column 1 (allow, block, reject, match, device) or a"
            + " '#' comment; blank lines must be empty");
  }

  private Integer attributeAt(int p) throws RuleSyntaxException {
    for (Kind kind : Kind.values()) {
      if (!s.startsWith(kind.keyword, p)) {
        continue;
      }
      // USBGuard refuses a repeated attribute on its keyword; a repeated label is merged.
      if (kind != Kind.LABEL && values.containsKey(kind)) {
        throw new RuleSyntaxException(
            p + 1,
            kind.keyword
                + " attribute already defined in this rule; write one "
                + kind.keyword
                + " with a value set instead, e.g. "
                + kind.keyword
                + " one-of { ... }");
      }
      int q = p + kind.keyword.length();
      int r = Lexer.blanks(s, q);
      if (r == q) {
        return null;
      }
      List<Object> found = new ArrayList<>();
      SetOperator[] op = {SetOperator.EQUALS};
      Integer end = setAt(r, kind, found, op);
      if (end == null) {
        end = valueAt(r, kind, found);
      }
      if (end == null) {
        return null;
      }
      values.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(found);
      ops.put(kind, op[0]);
      return end;
    }
    return null;
  }

  private Integer setAt(int p, Kind kind, List<Object> found, SetOperator[] op)
      throws RuleSyntaxException {
    int q = p;
    for (String o : OPERATORS) {
      if (s.startsWith(o, p)) {
        int r = Lexer.blanks(s, p + o.length());
        if (r > p + o.length()) {
          op[0] = SetOperator.fromKeyword(o);
          q = r;
        }
        break;
      }
    }
    if (q >= s.length() || s.charAt(q) != '{') {
      return null;
    }
    Integer end = valueAt(Lexer.blanks(s, q + 1), kind, found);
    if (end == null) {
      return null;
    }
    while (true) {
      int r = Lexer.blanks(s, end);
      Integer next = r > end ? valueAt(r, kind, found) : null;
      if (next == null) {
        break;
      }
      end = next;
    }
    int close = Lexer.blanks(s, end);
    return close < s.length() && s.charAt(close) == '}' ? close + 1 : null;
  }

  private Integer valueAt(int p, Kind kind, List<Object> found) throws RuleSyntaxException {
    return switch (kind) {
      case ID -> deviceIdAt(p, kind, false, found);
      case WITH_INTERFACE -> interfaceAt(p, found);
      case IF -> conditionAt(p, found);
      default -> stringAt(p, found);
    };
  }

  private Integer deviceIdAt(int p, Kind kind, boolean bare) throws RuleSyntaxException {
    List<Object> found = new ArrayList<>();
    Integer end = deviceIdAt(p, kind, bare, found);
    if (end != null) {
      values.put(Kind.ID, found);
      ops.put(Kind.ID, SetOperator.EQUALS);
    }
    return end;
  }

  private Integer deviceIdAt(int p, Kind kind, boolean bare, List<Object> found)
      throws RuleSyntaxException {
    int v = Lexer.hexOrStar(s, p, 4);
    if (v < 0 || v >= s.length() || s.charAt(v) != ':') {
      return null;
    }
    int e = Lexer.hexOrStar(s, v + 1, 4);
    if (e < 0) {
      return null;
    }
    String vendor = s.substring(p, v);
    String product = s.substring(v + 1, e);
    if (vendor.equals("*") && !product.equals("*")) {
      throw new RuleSyntaxException(
          p + 1,
          "device id "
              + vendor
              + ":"
              + product
              + " has a wildcard vendor but a product; write "
              + "*:* or give the vendor (vvvv:pppp or vvvv:*)");
    }
    found.add(new DeviceIdPattern(vendor, product));
    return e;
  }

  private Integer interfaceAt(int p, List<Object> found) throws RuleSyntaxException {
    int c = Lexer.hexOrStar(s, p, 2);
    if (c < 0 || s.charAt(p) == '*' || c >= s.length() || s.charAt(c) != ':') {
      return null;
    }
    int sc = Lexer.hexOrStar(s, c + 1, 2);
    if (sc < 0 || sc >= s.length() || s.charAt(sc) != ':') {
      return null;
    }
    int pr = Lexer.hexOrStar(s, sc + 1, 2);
    if (pr < 0) {
      return null;
    }
    String sub = s.substring(c + 1, sc);
    String proto = s.substring(sc + 1, pr);
    if (sub.equals("*") && !proto.equals("*")) {
      throw new RuleSyntaxException(
          p + 1,
          "interface type "
              + s.substring(p, pr)
              + " has a wildcard subclass but a protocol;"
              + " write cc:ss:pp, cc:ss:* or cc:*:*");
    }
    found.add(
        new InterfacePattern(
            Integer.parseInt(s.substring(p, c), 16),
            sub.equals("*") ? null : Integer.valueOf(sub, 16),
            proto.equals("*") ? null : Integer.valueOf(proto, 16)));
    return pr;
  }

  private Integer stringAt(int p, List<Object> found) throws RuleSyntaxException {
    int end = Lexer.boundedString(s, p, '"', '"');
    if (end < 0) {
      return null;
    }
    found.add(Lexer.unescape(s.substring(p + 1, end - 1), p + 1));
    return end;
  }

  private Integer conditionAt(int p, List<Object> found) throws RuleSyntaxException {
    int q = p < s.length() && s.charAt(p) == '!' ? p + 1 : p;
    int id = Lexer.identifier(s, q);
    if (id == q) {
      return null;
    }
    int end = id;
    if (id < s.length() && s.charAt(id) == '(') {
      end = Lexer.boundedString(s, id, '(', ')');
    }
    found.add(Conditions.parse(s.substring(p, end), p + 1, line));
    return end;
  }

  private Rule build() {
    return new Rule(
        line,
        s,
        target,
        attr(Kind.ID),
        attr(Kind.SERIAL),
        attr(Kind.NAME),
        attr(Kind.HASH),
        attr(Kind.PARENT_HASH),
        attr(Kind.VIA_PORT),
        attr(Kind.WITH_INTERFACE),
        attr(Kind.WITH_CONNECT_TYPE),
        attr(Kind.LABEL),
        attr(Kind.IF),
        extensions.allowedInterfaces(),
        extensions.maxPresent());
  }

  @SuppressWarnings("unchecked")
  private <T> Attribute<T> attr(Kind kind) {
    List<Object> v = values.get(kind);
    if (v == null) {
      return Attribute.absent();
    }
    return new Attribute<>(ops.get(kind), (List<T>) (List<?>) v);
  }
}
