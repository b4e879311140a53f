package io.burnguard.ports.policy;

import java.util.List;

/**
 * One parsed rule. USBGuard's attributes, plus BurnGuard's extension clauses (after {@code ;}):
 * {@code interfaces} (authorize only these interfaces of the device) and {@code max-present} (the
 * rule applies while fewer than N present devices were decided by it).
 *
 * @param line 1-based line in the policy file (0 for a query inside allowed-matches)
 * @param text the line as written
 * @param allowedInterfaces the {@code interfaces} clause, empty when absent
 * @param maxPresent the {@code max-present} clause, 0 when absent
 */
record Rule(
    int line,
    String text,
    Target target,
    Attribute<DeviceIdPattern> id,
    Attribute<String> serial,
    Attribute<String> name,
    Attribute<String> hash,
    Attribute<String> parentHash,
    Attribute<String> viaPort,
    Attribute<InterfacePattern> withInterface,
    Attribute<String> withConnectType,
    Attribute<String> label,
    Attribute<Condition> conditions,
    List<InterfacePattern> allowedInterfaces,
    int maxPresent) {

  Rule {
    allowedInterfaces = List.copyOf(allowedInterfaces);
  }

  /** USBGuard's canonical form (its attribute order), plus our clauses. */
  String toRuleString() {
    StringBuilder b = new StringBuilder(target.keyword());
    append(b, id.isAbsent() ? null : id.toRuleString("id", Object::toString));
    append(b, serial.isAbsent() ? null : serial.toRuleString("serial", Escapes::quote));
    append(b, name.isAbsent() ? null : name.toRuleString("name", Escapes::quote));
    append(b, hash.isAbsent() ? null : hash.toRuleString("hash", Escapes::quote));
    append(
        b, parentHash.isAbsent() ? null : parentHash.toRuleString("parent-hash", Escapes::quote));
    append(b, viaPort.isAbsent() ? null : viaPort.toRuleString("via-port", Escapes::quote));
    append(
        b,
        withInterface.isAbsent()
            ? null
            : withInterface.toRuleString("with-interface", Object::toString));
    append(
        b,
        withConnectType.isAbsent()
            ? null
            : withConnectType.toRuleString("with-connect-type", Escapes::quote));
    append(b, conditions.isAbsent() ? null : conditions.toRuleString("if", Object::toString));
    append(b, label.isAbsent() ? null : label.toRuleString("label", Escapes::quote));
    return b.toString();
  }

  private static void append(StringBuilder b, String part) {
    if (part != null) {
      b.append(' ').append(part);
    }
  }
}
