package io.burnguard.ports.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * BurnGuard's clauses after {@code ;} on a rule line (see docs/port-monitor.md):
 *
 * <pre>
 * allow id 1234:5678 ; interfaces { 03:01:01 }     authorize only the keyboard interface
 * allow with-interface 03:01:01 ; max-present 1    one keyboard at a time
 * </pre>
 *
 * USBGuard reports an error at any {@code ;} outside a string or comment, so a line with these
 * clauses is never a valid USBGuard rule, and a valid USBGuard file means the same here.
 */
final class Extensions {
  static final int MAX_PRESENT_LIMIT = 1000;

  private final String s;
  private final List<InterfacePattern> interfaces = new ArrayList<>();
  private int maxPresent;

  Extensions(String s) {
    this.s = s;
  }

  List<InterfacePattern> allowedInterfaces() {
    return interfaces;
  }

  int maxPresent() {
    return maxPresent;
  }

  /** Parses from the {@code ;} at {@code p}; returns the end of the last clause. */
  int parse(int p, Target target) throws RuleSyntaxException {
    int end = p + 1;
    boolean any = false;
    while (true) {
      int q = Lexer.blanks(s, end);
      if (q >= s.length() || s.charAt(q) == '#') {
        break;
      }
      if (any && q == end) {
        throw new RuleSyntaxException(q + 1, "clauses after ';' must be separated by blanks");
      }
      end = clause(q, target);
      any = true;
    }
    if (!any) {
      throw new RuleSyntaxException(
          end + 1,
          "nothing after ';'; expected 'interfaces { cc:ss:pp" + " ... }' or 'max-present N'");
    }
    return end;
  }

  private int clause(int q, Target target) throws RuleSyntaxException {
    if (s.startsWith("interfaces", q)) {
      if (target != Target.ALLOW) {
        throw new RuleSyntaxException(
            q + 1,
            "'interfaces' authorizes some interfaces of an"
                + " allowed device; it needs the target allow, found "
                + target.keyword());
      }
      if (!interfaces.isEmpty()) {
        throw new RuleSyntaxException(q + 1, "'interfaces' given twice; list them in one set");
      }
      return interfaceSet(Lexer.blanks(s, q + "interfaces".length()));
    }
    if (s.startsWith("max-present", q)) {
      if (maxPresent != 0) {
        throw new RuleSyntaxException(q + 1, "'max-present' given twice");
      }
      int p = Lexer.blanks(s, q + "max-present".length());
      int e = p;
      while (e < s.length() && e - p < 5 && Character.isDigit(s.charAt(e))) {
        e++;
      }
      int n = e == p ? 0 : Integer.parseInt(s.substring(p, e));
      if (n < 1 || n > MAX_PRESENT_LIMIT) {
        throw new RuleSyntaxException(
            p + 1,
            "'max-present' needs a count from 1 to " + MAX_PRESENT_LIMIT + ", e.g. max-present 1");
      }
      maxPresent = n;
      return e;
    }
    throw new RuleSyntaxException(
        q + 1,
        "found '"
            + Lexer.word(s, q)
            + "' after ';'; expected"
            + " 'interfaces { cc:ss:pp ... }' or 'max-present N'");
  }

  private int interfaceSet(int p) throws RuleSyntaxException {
    boolean set = p < s.length() && s.charAt(p) == '{';
    int at = set ? Lexer.blanks(s, p + 1) : p;
    while (true) {
      int e = pattern(at);
      int next = Lexer.blanks(s, e);
      if (!set) {
        return e;
      }
      if (next < s.length() && s.charAt(next) == '}') {
        return next + 1;
      }
      if (next == e) {
        throw new RuleSyntaxException(next + 1, "expected a blank, another interface type or '}'");
      }
      at = next;
    }
  }

  private int pattern(int p) throws RuleSyntaxException {
    int c = Lexer.hexOrStar(s, p, 2);
    int sc = c > 0 && c < s.length() && s.charAt(c) == ':' ? Lexer.hexOrStar(s, c + 1, 2) : -1;
    int pr = sc > 0 && sc < s.length() && s.charAt(sc) == ':' ? Lexer.hexOrStar(s, sc + 1, 2) : -1;
    if (pr < 0 || s.charAt(p) == '*' || (s.charAt(c + 1) == '*' && s.charAt(sc + 1) != '*')) {
      throw new RuleSyntaxException(
          p + 1,
          "expected an interface type cc:ss:pp, cc:ss:* or"
              + " cc:*:* (hex), e.g. 03:01:01 for a boot keyboard");
    }
    String sub = s.substring(c + 1, sc);
    String proto = s.substring(sc + 1, pr);
    interfaces.add(
        new InterfacePattern(
            Integer.parseInt(s.substring(p, c), 16),
            sub.equals("*") ? null : Integer.valueOf(sub, 16),
            proto.equals("*") ? null : Integer.valueOf(proto, 16)));
    return pr;
  }
}
