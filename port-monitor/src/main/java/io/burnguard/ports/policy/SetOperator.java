package io.burnguard.ports.policy;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * USBGuard's set operators. {@code rule} holds the rule's values, {@code device} the device's;
 * {@code sub} says whether a rule value matches a device value (wildcards allowed in the rule).
 * Without an operator a value set means {@link #EQUALS}.
 */
enum SetOperator {
  ALL_OF("all-of"),
  ONE_OF("one-of"),
  NONE_OF("none-of"),
  EQUALS("equals"),
  EQUALS_ORDERED("equals-ordered"),
  MATCH_ALL("match-all");

  final String keyword;

  SetOperator(String keyword) {
    this.keyword = keyword;
  }

  static SetOperator fromKeyword(String keyword) {
    for (SetOperator op : values()) {
      if (op.keyword.equals(keyword)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown set operator " + keyword);
  }

  <R, D> boolean holds(List<R> rule, List<D> device, BiPredicate<R, D> sub) {
    return switch (this) {
      case ALL_OF -> rule.stream().allMatch(r -> device.stream().anyMatch(d -> sub.test(r, d)));
      case ONE_OF -> rule.stream().anyMatch(r -> device.stream().anyMatch(d -> sub.test(r, d)));
      case NONE_OF -> rule.stream().noneMatch(r -> device.stream().anyMatch(d -> sub.test(r, d)));
      case EQUALS ->
          rule.size() == device.size()
              && rule.stream().allMatch(r -> device.stream().anyMatch(d -> sub.test(r, d)));
      case EQUALS_ORDERED -> ordered(rule, device, sub);
      // USBGuard: every device value must be matched by some rule value.
      case MATCH_ALL -> device.stream().allMatch(d -> rule.stream().anyMatch(r -> sub.test(r, d)));
    };
  }

  private static <R, D> boolean ordered(List<R> rule, List<D> device, BiPredicate<R, D> sub) {
    if (rule.size() != device.size()) {
      return false;
    }
    for (int i = 0; i < rule.size(); i++) {
      if (!sub.test(rule.get(i), device.get(i))) {
        return false;
      }
    }
    return true;
  }
}
