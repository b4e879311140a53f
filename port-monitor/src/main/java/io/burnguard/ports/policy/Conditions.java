package io.burnguard.ports.policy;

import io.burnguard.ports.policy.Condition.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and checks one condition, as USBGuard 1.1 does when it loads a rule. */
final class Conditions {
  private static final Pattern NUMBER =
      Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(?::(\\d+)(?::(\\d+))?)?(.?)");

  private Conditions() {}

  /** {@code text} is {@code [!]identifier[(argument)]}; errors are reported at {@code column}. */
  static Condition parse(String text, int column, int line) throws RuleSyntaxException {
    boolean negated = text.startsWith("!");
    String body = negated ? text.substring(1) : text;
    int open = body.indexOf('(');
    String identifier = open < 0 ? body : body.substring(0, open);
    String parameter = open < 0 ? "" : body.substring(open + 1, body.length() - 1);
    if (open >= 0 && parameter.isEmpty()) {
      throw new RuleSyntaxException(
          column,
          "condition "
              + identifier
              + "() has an empty"
              + " argument; remove the parentheses or give an argument");
    }
    Kind kind = kind(identifier, column);
    int[] range = {0, 0};
    double probability = 0.5;
    long window = -1;
    Rule query = null;
    switch (kind) {
      case LOCALTIME -> range = localtime(parameter, column);
      case RANDOM -> probability = parameter.isEmpty() ? 0.5 : probability(parameter, column);
      case RULE_APPLIED, RULE_EVALUATED ->
          window = parameter.isEmpty() ? -1 : duration(parameter, column);
      case ALLOWED_MATCHES -> query = query(identifier, parameter, column, line);
      default -> {
        // true and false ignore an argument, as USBGuard does.
      }
    }
    return new Condition(negated, kind, parameter, range[0], range[1], probability, window, query);
  }

  private static Kind kind(String identifier, int column) throws RuleSyntaxException {
    for (Kind k : Kind.values()) {
      if (k.keyword.equals(identifier)) {
        return k;
      }
    }
    throw new RuleSyntaxException(
        column,
        "unknown rule condition '"
            + identifier
            + "'; known:"
            + " true, false, localtime, random, rule-applied, rule-evaluated, allowed-matches");
  }

  /**
   * {@code BEGIN[-END]}, as USBGuard 1.1 reads it: split at the first {@code -}; each part is tried
   * with glibc's {@code strptime("%H:%M:%s")}, then {@code strptime("%H:%M")}; begin must not be
   * after end. Note what that means, kept for compatibility: in {@code HH:MM:SS} the last field is
   * {@code %s}, seconds since the epoch, which replaces the whole time (so {@code 10:00:30} is
   * 00:00:30 in UTC); and a field is read while it stays in range, the rest of the part ignored
   * ({@code 10:60} is 10:06).
   */
  private static int[] localtime(String p, int column) throws RuleSyntaxException {
    int dash = p.indexOf('-');
    String begin = dash < 0 ? p : p.substring(0, dash);
    String end = dash < 0 ? "" : p.substring(dash + 1);
    int from = daytime(begin, column, p);
    int to = end.isEmpty() ? from : daytime(end, column, p);
    if (from > to) {
      throw new RuleSyntaxException(
          column,
          "localtime("
              + p
              + ") begins after it ends; write"
              + " the earlier time first, e.g. localtime(08:00-17:00)");
    }
    return new int[] {from, to};
  }

  private static int daytime(String t, int column, String whole) throws RuleSyntaxException {
    int v = Strptime.hoursMinutesEpoch(t);
    if (v < 0) {
      v = Strptime.hoursMinutes(t);
    }
    if (v < 0) {
      throw new RuleSyntaxException(
          column,
          "localtime("
              + whole
              + ") is not a time or range;"
              + " expected HH:MM[-HH:MM], e.g. localtime(08:00-17:00)");
    }
    return v;
  }

  private static double probability(String p, int column) throws RuleSyntaxException {
    Matcher m = NUMBER.matcher(p);
    if (!m.lookingAt()) {
      throw new RuleSyntaxException(
          column,
          "random(" + p + ") is not a number; expected a" + " probability such as random(0.25)");
    }
    return Double.parseDouble(m.group().trim());
  }

  /** Seconds: N[s|m|h|d] or H:M[:S]; USBGuard ignores other trailing characters. */
  private static long duration(String p, int column) throws RuleSyntaxException {
    Matcher m = DURATION.matcher(p);
    if (!m.lookingAt()) {
      throw new RuleSyntaxException(
          column,
          "'"
              + p
              + "' is not a time; expected N[s|m|h|d] or"
              + " HH:MM[:SS], e.g. rule-applied(30s)");
    }
    long first = Long.parseLong(m.group(1));
    if (m.group(2) != null) {
      long sec = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
      return first * 3600 + Long.parseLong(m.group(2)) * 60 + sec;
    }
    return switch (m.group(4)) {
      case "m" -> first * 60;
      case "h" -> first * 3600;
      case "d" -> first * 86400;
      default -> first;
    };
  }

  private static Rule query(String identifier, String p, int column, int line)
      throws RuleSyntaxException {
    if (p.isEmpty()) {
      throw new RuleSyntaxException(
          column,
          identifier
              + " needs a rule to match, e.g."
              + " allowed-matches(with-interface 03:01:01)");
    }
    try {
      return RuleParser.parse("match " + p, line);
    } catch (RuleSyntaxException e) {
      throw new RuleSyntaxException(
          column,
          "the rule inside " + identifier + "(" + p + ") is" + " not valid: " + e.getMessage());
    }
  }
}
