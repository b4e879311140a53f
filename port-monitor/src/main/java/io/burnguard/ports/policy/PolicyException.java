package io.burnguard.ports.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A rules file was refused; every problem found is listed, each with its line and column. */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<PolicyProblem> problems;

  PolicyException(List<PolicyProblem> problems) {
    super(
        problems.size()
            + " problem(s) in the USB policy; nothing was changed:\n"
            + problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<PolicyProblem> problems() {
    return problems;
  }
}
