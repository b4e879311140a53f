package io.burnguard.ports.policy;

import io.burnguard.ports.usb.UsbDevice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Decides devices against a policy: the first rule whose attributes and conditions hold decides;
 * when none does, the implicit target (block by default).
 *
 * <p>Design. Conditions need state, kept here and nowhere else: when each rule was last evaluated
 * and applied ({@code rule-evaluated}, {@code rule-applied}), and which present devices were
 * decided by which rule ({@code allowed-matches}, and BurnGuard's {@code max-present}). The clock
 * and the random source are injected so every condition is testable. {@code match} and {@code
 * device} rules describe devices and never decide, as in USBGuard.
 */
public final class PolicyEvaluator {
  private final Clock clock;
  private final RandomGenerator random;
  private final Target implicitTarget;
  private UsbPolicy policy;
  private final Map<String, Decision> present = new LinkedHashMap<>();
  private final Map<String, Rule> decidedBy = new HashMap<>();
  private final Map<Rule, Instant> evaluated = new IdentityHashMap<>();
  private final Map<Rule, Instant> applied = new IdentityHashMap<>();

  /**
   * @param implicitTarget the target when no rule matches: allow, block or reject
   */
  public PolicyEvaluator(
      UsbPolicy policy, Target implicitTarget, Clock clock, RandomGenerator random) {
    if (implicitTarget != Target.ALLOW
        && implicitTarget != Target.BLOCK
        && implicitTarget != Target.REJECT) {
      throw new IllegalArgumentException(
          "implicit target is " + implicitTarget + "; expected allow, block or reject");
    }
    this.policy = Objects.requireNonNull(policy, "policy");
    this.implicitTarget = implicitTarget;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Replaces the policy; rule state starts afresh, present devices are kept. */
  public synchronized void replacePolicy(UsbPolicy next) {
    policy = Objects.requireNonNull(next, "policy");
    evaluated.clear();
    applied.clear();
    decidedBy.clear();
  }

  public synchronized UsbPolicy policy() {
    return policy;
  }

  public Target implicitTarget() {
    return implicitTarget;
  }

  /** Decides {@code device} and remembers it as present until {@link #removed}. */
  public synchronized Decision decide(UsbDevice device) {
    Instant now = clock.instant();
    present.remove(device.sysPath());
    decidedBy.remove(device.sysPath());
    for (Rule rule : policy.rules()) {
      if (rule.target() == Target.MATCH || rule.target() == Target.DEVICE) {
        continue;
      }
      boolean holds = attributesMatch(rule, device) && conditionsHold(rule, now) && room(rule);
      evaluated.put(rule, now);
      if (holds) {
        applied.put(rule, now);
        Decision d =
            new Decision(
                device,
                rule.target(),
                rule.line(),
                rule.text(),
                rule.allowedInterfaces().stream().map(Object::toString).toList(),
                now);
        present.put(device.sysPath(), d);
        decidedBy.put(device.sysPath(), rule);
        return d;
      }
    }
    Decision d = new Decision(device, implicitTarget, 0, Decision.IMPLICIT, List.of(), now);
    present.put(device.sysPath(), d);
    return d;
  }

  /** Forgets a device that left. */
  public synchronized void removed(String sysPath) {
    present.remove(sysPath);
    decidedBy.remove(sysPath);
  }

  /** The last decision for every present device, in the order they were decided. */
  public synchronized List<Decision> present() {
    return List.copyOf(present.values());
  }

  private boolean room(Rule rule) {
    if (rule.maxPresent() == 0) {
      return true;
    }
    long n = decidedBy.values().stream().filter(r -> r == rule).count();
    return n < rule.maxPresent();
  }

  static boolean attributesMatch(Rule rule, UsbDevice d) {
    List<String[]> ids = List.<String[]>of(new String[] {d.vendorId(), d.productId()});
    boolean id =
        rule.id().op() == SetOperator.MATCH_ALL
            // USBGuard's match-all tests the device id as a subset of the rule's: exact only.
            ? rule.id().matches(ids, (r, v) -> r.vendor().equals(v[0]) && r.product().equals(v[1]))
            : rule.id().matches(ids, (r, v) -> r.matches(v[0], v[1]));
    return id
        && string(rule.serial(), d.serial())
        && string(rule.withConnectType(), d.connectType())
        && string(rule.name(), d.name())
        && string(rule.hash(), d.hash())
        && string(rule.parentHash(), d.parentHash())
        && string(rule.viaPort(), d.port())
        && rule.withInterface().matches(d.interfaces(), InterfacePattern::matches);
  }

  private static boolean string(Attribute<String> a, String value) {
    return a.matches(List.of(value), String::equals);
  }

  private boolean conditionsHold(Rule rule, Instant now) {
    Attribute<Condition> c = rule.conditions();
    if (c.isAbsent()) {
      return true;
    }
    long trues = c.values().stream().filter(x -> holds(x, rule, now) != x.negated()).count();
    return switch (c.op()) {
      case ONE_OF -> trues > 0;
      case NONE_OF -> trues == 0;
      default -> trues == c.values().size();
    };
  }

  private boolean holds(Condition c, Rule rule, Instant now) {
    return switch (c.kind()) {
      case TRUE -> true;
      case FALSE -> false;
      case LOCALTIME -> {
        // USBGuard 1.1 compares with time(NULL) % 86400: the time of day in UTC.
        long s = Math.floorMod(now.getEpochSecond(), 86400L);
        yield s >= c.from() && s <= c.to();
      }
      case RANDOM -> random.nextDouble() < c.probability();
      case RULE_APPLIED -> recent(applied.get(rule), c.windowSeconds(), now);
      case RULE_EVALUATED -> recent(evaluated.get(rule), c.windowSeconds(), now);
      case ALLOWED_MATCHES ->
          present.values().stream()
              .anyMatch(d -> d.target() == Target.ALLOW && attributesMatch(c.query(), d.device()));
    };
  }

  private static boolean recent(Instant last, long windowSeconds, Instant now) {
    if (last == null) {
      return false;
    }
    return windowSeconds < 0 || Duration.between(last, now).getSeconds() <= windowSeconds;
  }
}
