package io.burnguard.config;

import java.util.List;
import java.util.Locale;

/** A station.yaml that cannot be used; carries every problem found, not just the first. */
public final class ConfigException extends Exception {
  private final transient List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in file order. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String summary(List<ConfigProblem> problems) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d problem%s in the station configuration:",
                problems.size(),
                problems.size() == 1 ? "" : "s"));
    for (ConfigProblem p : problems) {
      b.append(System.lineSeparator()).append("  ").append(p);
    }
    return b.toString();
  }
}
