package io.burnguard.ports.policy;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One attribute of a rule: its values and set operator. An absent attribute (no values) matches
 * every device.
 */
record Attribute<T>(SetOperator op, List<T> values) {
  static <T> Attribute<T> absent() {
    return new Attribute<>(SetOperator.EQUALS, List.of());
  }

  Attribute {
    values = List.copyOf(values);
  }

  boolean isAbsent() {
    return values.isEmpty();
  }

  <D> boolean matches(List<D> device, BiPredicate<T, D> sub) {
    return isAbsent() || op.holds(values, device, sub);
  }

  /** USBGuard's form: a single value alone, otherwise {@code [op] { v1 v2 }}. */
  String toRuleString(String name, Function<T, String> format) {
    boolean set = values.size() > 1 || op != SetOperator.EQUALS;
    String joined = values.stream().map(format).collect(Collectors.joining(" "));
    if (!set) {
      return name + " " + joined;
    }
    return name + " " + (op == SetOperator.EQUALS ? "" : op.keyword + " ") + "{ " + joined + " }";
  }
}
