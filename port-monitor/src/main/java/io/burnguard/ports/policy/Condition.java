package io.burnguard.ports.policy;

import java.util.Locale;

/**
 * A rule condition ({@code if ...}): USBGuard's true, false, localtime, random, rule-applied,
 * rule-evaluated and allowed-matches, with the argument checked when the rule is parsed.
 *
 * @param negated written with a leading {@code !}
 * @param kind which condition
 * @param parameter the raw argument, empty when none was written
 * @param from localtime: start of the range in seconds of the day
 * @param to localtime: end of the range in seconds of the day (inclusive)
 * @param probability random: chance of true, 0.5 by default
 * @param windowSeconds rule-applied/evaluated: how recent, or -1 for "ever"
 * @param query allowed-matches: the rule a present allowed device must match
 */
record Condition(
    boolean negated,
    Kind kind,
    String parameter,
    int from,
    int to,
    double probability,
    long windowSeconds,
    Rule query) {

  enum Kind {
    TRUE("true"),
    FALSE("false"),
    LOCALTIME("localtime"),
    RANDOM("random"),
    RULE_APPLIED("rule-applied"),
    RULE_EVALUATED("rule-evaluated"),
    ALLOWED_MATCHES("allowed-matches");

    final String keyword;

    Kind(String keyword) {
      this.keyword = keyword;
    }
  }

  @Override
  public String toString() {
    String p = parameter.isEmpty() ? "" : "(" + parameter + ")";
    return (negated ? "!" : "") + kind.keyword + p;
  }

  static String describe(Kind k) {
    return k.keyword.toUpperCase(Locale.ROOT);
  }
}
