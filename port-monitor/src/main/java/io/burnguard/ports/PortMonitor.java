package io.burnguard.ports;

import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.policy.PolicyEvaluator;
import io.burnguard.ports.policy.Target;
import io.burnguard.ports.policy.UsbPolicy;
import io.burnguard.ports.usb.UsbAuthorizer;
import io.burnguard.ports.usb.UsbDevice;
import io.burnguard.ports.usb.UsbInventory;
import io.burnguard.ports.usb.UsbProblem;
import io.burnguard.ports.usb.UsbSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The USB port monitor: inventory, policy and enforcement behind one facade, for the daemon.
 *
 * <p>Design. {@link #start} is called before the daemon accepts requests: in {@link
 * PortMode#ENFORCE} it first makes every root hub start new devices unauthorized ({@code
 * authorized_default=0}), so nothing plugged in from then on works before it is decided, and only
 * then decides and applies the policy to every present device (parents first). Nothing is ever
 * opened up on exit: the kernel keeps {@code authorized_default=0} and each device's state, so a
 * crash or stop leaves blocked devices blocked and new ones unauthorized until the next start.
 * Hotplug (a uevent reader, another class) calls {@link #deviceAdded} and {@link #deviceRemoved},
 * or {@link #rescan} after losing events. Every decision goes to the {@link PortEventListener} with
 * the rule text and line, or "implicit". All methods are synchronized: the hotplug thread and
 * control requests may call them concurrently.
 */
public final class PortMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(PortMonitor.class);

  private final UsbInventory inventory;
  private final Enforcer enforcer;
  private final UsbAuthorizer authorizer;
  private final PortMode mode;
  private final PolicyEvaluator evaluator;
  private final PortEventListener listener;
  private final Clock clock;
  private final List<UsbProblem> refused = new ArrayList<>();

  private PortMonitor(Builder b) {
    this.inventory = UsbInventory.at(b.sysfsRoot);
    this.authorizer = UsbAuthorizer.at(b.sysfsRoot);
    this.enforcer = new Enforcer(authorizer);
    this.mode = b.mode;
    this.clock = b.clock;
    this.evaluator = new PolicyEvaluator(b.policy, b.implicitTarget, b.clock, b.random);
    this.listener = b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  public PortMode mode() {
    return mode;
  }

  /**
   * Blocks new devices on every root hub (enforce mode), then decides and applies the policy to
   * every present device.
   *
   * @throws IOException when the USB bus cannot be listed or, in enforce mode, a root hub refuses
   *     {@code authorized_default=0}: the monitor must not claim to enforce then
   */
  public synchronized List<PortEvent> start() throws IOException {
    UsbSnapshot snapshot = inventory.scan();
    if (mode == PortMode.ENFORCE) {
      for (UsbDevice d : snapshot.devices()) {
        if (d.rootHub()) {
          authorizer.blockNewDevices(d);
          if (usesInterfaceClauses()) {
            authorizer.blockNewInterfaces(d);
          }
        }
      }
    }
    return decideAll(snapshot, PortEvent.Kind.PRESENT);
  }

  /** A device appeared at {@code sysPath} (a uevent's DEVPATH). */
  public synchronized PortEvent deviceAdded(String sysPath) {
    UsbInventory.ReadResult r = inventory.read(sysPath, presentDevices());
    if (r.problem() != null) {
      return refuse(r.problem());
    }
    return decide(r.device(), PortEvent.Kind.INSERTED);
  }

  /** The device at {@code sysPath} left. */
  public synchronized PortEvent deviceRemoved(String sysPath) {
    evaluator.removed(sysPath);
    refused.removeIf(p -> p.sysPath().equals(sysPath));
    String port = sysPath.substring(sysPath.lastIndexOf('/') + 1);
    return emit(
        new PortEvent(
            PortEvent.Kind.REMOVED, mode, sysPath, port, null, false, "removed", clock.instant()));
  }

  /**
   * Reconciles with sysfs after events may have been lost: devices no longer present are removed,
   * new ones decided as inserted.
   */
  public synchronized List<PortEvent> rescan() throws IOException {
    UsbSnapshot now = inventory.scan();
    Set<String> seen = new HashSet<>();
    now.devices().forEach(d -> seen.add(d.sysPath()));
    now.refused().forEach(p -> seen.add(p.sysPath()));
    List<PortEvent> events = new ArrayList<>();
    for (Decision d : evaluator.present()) {
      if (!seen.contains(d.device().sysPath())) {
        events.add(deviceRemoved(d.device().sysPath()));
      }
    }
    Set<String> known = new HashSet<>();
    evaluator.present().forEach(d -> known.add(d.device().sysPath()));
    refused.forEach(p -> known.add(p.sysPath()));
    for (UsbProblem p : now.refused()) {
      if (!known.contains(p.sysPath())) {
        events.add(refuse(p));
      }
    }
    for (UsbDevice d : now.devices()) {
      if (!known.contains(d.sysPath())) {
        events.add(decide(d, PortEvent.Kind.INSERTED));
      }
    }
    return events;
  }

  /**
   * Replaces the policy and re-decides every present device, so a device the new policy blocks is
   * blocked now. The caller parses the new file first ({@link UsbPolicy#load}): a bad file never
   * reaches here, and the running policy stays.
   */
  public synchronized List<PortEvent> reload(UsbPolicy policy) throws IOException {
    evaluator.replacePolicy(policy);
    return start();
  }

  /** The current decision for every present device. */
  public synchronized List<Decision> decisions() {
    return evaluator.present();
  }

  /** Devices present but refused (untrustworthy sysfs data). */
  public synchronized List<UsbProblem> refused() {
    return List.copyOf(refused);
  }

  public synchronized UsbPolicy policy() {
    return evaluator.policy();
  }

  private List<PortEvent> decideAll(UsbSnapshot snapshot, PortEvent.Kind kind) {
    List<PortEvent> events = new ArrayList<>();
    refused.clear();
    for (UsbProblem p : snapshot.refused()) {
      events.add(refuse(p));
    }
    for (UsbDevice d : snapshot.devices()) {
      events.add(decide(d, kind));
    }
    return events;
  }

  private PortEvent decide(UsbDevice device, PortEvent.Kind kind) {
    Decision d = evaluator.decide(device);
    if (mode == PortMode.MONITOR) {
      return emit(
          new PortEvent(
              kind,
              mode,
              device.sysPath(),
              device.port(),
              d,
              false,
              "monitor mode: would " + d.target().keyword() + "; nothing changed",
              d.at()));
    }
    Enforcer.Outcome o = enforcer.apply(d, usesInterfaceClauses());
    if (!o.applied()) {
      LOG.error("USB device {}: {}", device.port(), o.detail());
    }
    return emit(
        new PortEvent(
            kind, mode, device.sysPath(), device.port(), d, o.applied(), o.detail(), d.at()));
  }

  private PortEvent refuse(UsbProblem p) {
    refused.removeIf(x -> x.sysPath().equals(p.sysPath()));
    refused.add(p);
    boolean applied = false;
    String detail = p.reason();
    if (mode == PortMode.ENFORCE) {
      Enforcer.Outcome o = enforcer.block(p.sysPath());
      applied = o.applied();
      detail = detail + "; " + o.detail();
    } else {
      detail = detail + "; monitor mode: would block; nothing changed";
    }
    return emit(
        new PortEvent(
            PortEvent.Kind.REFUSED,
            mode,
            p.sysPath(),
            p.port(),
            null,
            applied,
            detail,
            clock.instant()));
  }

  private PortEvent emit(PortEvent e) {
    try {
      listener.onEvent(e);
    } catch (RuntimeException ex) {
      LOG.error(
          "port event listener failed on {} {}; monitoring continues", e.kind(), e.port(), ex);
    }
    return e;
  }

  private boolean usesInterfaceClauses() {
    return evaluator.policy().usesInterfaceClauses();
  }

  private List<UsbDevice> presentDevices() {
    return evaluator.present().stream().map(Decision::device).toList();
  }

  /** Settings of a {@link PortMonitor}; mode and policy have no default and must be given. */
  public static final class Builder {
    private Path sysfsRoot = UsbInventory.DEFAULT_SYSFS_ROOT;
    private PortMode mode;
    private UsbPolicy policy;
    private Target implicitTarget = Target.BLOCK;
    private Clock clock = Clock.systemDefaultZone();
    private RandomGenerator random = RandomGenerator.getDefault();
    private PortEventListener listener = e -> {};

    private Builder() {}

    /** Default {@code /sys}. */
    public Builder sysfsRoot(Path root) {
      this.sysfsRoot = Objects.requireNonNull(root, "sysfsRoot");
      return this;
    }

    /** {@code ports.mode} from station.yaml: enforce or monitor (off builds no monitor). */
    public Builder mode(PortMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder policy(UsbPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The target when no rule matches: block (default), reject or allow. */
    public Builder implicitTarget(Target target) {
      this.implicitTarget = Objects.requireNonNull(target, "implicitTarget");
      return this;
    }

    /** For localtime and rule-applied conditions; default the system clock in its zone. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** For the random condition. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public Builder listener(PortEventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @throws IllegalStateException when mode or policy is missing, or the target is invalid
     */
    public PortMonitor build() {
      if (mode == PortMode.OFF) {
        throw new IllegalStateException(
            "ports.mode is off: USB ports are not watched, so no port"
                + " monitor is built; use enforce or monitor");
      }
      if (mode == null || policy == null) {
        throw new IllegalStateException(
            "port monitor needs a mode (enforce or monitor) and a"
                + " policy; found mode="
                + mode
                + ", policy="
                + (policy == null ? "none" : "set"));
      }
      if (implicitTarget != Target.ALLOW
          && implicitTarget != Target.BLOCK
          && implicitTarget != Target.REJECT) {
        throw new IllegalStateException(
            "implicit target is " + implicitTarget + "; expected block, reject or allow");
      }
      return new PortMonitor(this);
    }
  }
}
