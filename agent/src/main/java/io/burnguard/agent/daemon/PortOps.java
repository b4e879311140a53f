package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.alerts.SyslogSender;
import io.burnguard.agent.audit.Timestamps;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ports.PortAlert;
import io.burnguard.agent.ports.PortEventRow;
import io.burnguard.agent.ports.PortEventStore;
import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.PortEvent;
import io.burnguard.ports.PortMonitor;
import io.burnguard.ports.hotplug.UsbHotplug;
import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.policy.PolicyException;
import io.burnguard.ports.policy.PolicyProblem;
import io.burnguard.ports.policy.UsbPolicy;
import io.burnguard.ports.serial.PortUser;
import io.burnguard.ports.serial.ProcScan;
import io.burnguard.ports.serial.SerialInventory;
import io.burnguard.ports.serial.SerialPort;
import io.burnguard.ports.serial.SerialWatch;
import io.burnguard.ports.usb.UsbProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The USB port monitor inside the daemon (issue 14): started per {@code ports.mode} before the
 * control socket accepts requests, every decision stored in {@code port_events} (chained) and the
 * security-relevant ones raised as alerts ({@link PortAlert}). Serves {@code ports}, {@code ports
 * events}, {@code policy show} and {@code policy reload}.
 *
 * <p>Fails closed: in enforce mode a monitor that cannot start (no rules file, a bad one, a root
 * hub that refuses {@code authorized_default=0}, no uevent socket) stops the daemon from starting.
 * In monitor mode a failed start is logged and reported by {@code ports}, since nothing depends on
 * it. Closing stops the uevent reader only: nothing is ever opened up.
 */
final class PortOps implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortOps.class);
  private static final Path PROC = Path.of("/proc");

  private final StationConfig.Ports settings;
  private final PortEventStore store;
  private final LedgerService ledger;
  private final AdminEvents admin;
  private PortMonitor monitor;
  private UsbHotplug hotplug;
  private SerialWatch serial;
  private final java.util.Map<String, Path> fixturePorts = new java.util.TreeMap<>();
  private Clock clock;
  private String problem;

  private PortOps(
      StationConfig.Ports settings, Database db, LedgerService ledger, AdminEvents admin) {
    this.settings = settings;
    this.ledger = ledger;
    this.admin = admin;
    this.store = new PortEventStore(db, ledger.chain());
  }

  /**
   * Starts the monitor per {@code ports.mode}.
   *
   * @throws DaemonException in enforce mode when the monitor cannot start
   */
  static PortOps start(
      StationConfig config, Database db, LedgerService ledger, AdminEvents admin, Clock clock)
      throws DaemonException {
    StationConfig.Ports settings = config.ports();
    PortOps p = new PortOps(settings, db, ledger, admin);
    if (settings.mode() == PortMode.OFF) {
      p.problem = "ports.mode is off in station.yaml: USB ports are not watched";
      log.warn("{}", p.problem);
      return p;
    }
    p.clock = clock;
    p.watchSerial(config.fixtures());
    try {
      p.begin(clock);
    } catch (IOException | PolicyException | RuntimeException e) {
      String why = "the port monitor cannot start: " + describe(e);
      p.close();
      if (settings.mode() == PortMode.ENFORCE) {
        throw new DaemonException(ExitCode.USAGE, "the daemon refuses to start: " + why, e);
      }
      p.monitor = null;
      p.hotplug = null;
      p.problem = why + " (monitor mode: the daemon runs without it)";
      log.error("{}", p.problem);
    }
    return p;
  }

  /**
   * Builds the monitor, opens the uevent socket (before the scan, so nothing is missed) and decides
   * every present device. In monitor mode a missing uevent socket only loses hotplug.
   */
  private void begin(Clock clock) throws IOException, PolicyException {
    monitor =
        PortMonitor.builder()
            .mode(settings.mode())
            .policy(loadPolicy(settings))
            .clock(clock)
            .listener(this::onEvent)
            .build();
    try {
      hotplug = UsbHotplug.open(monitor);
    } catch (IOException e) {
      if (settings.mode() == PortMode.ENFORCE) {
        throw e;
      }
      problem = "no hotplug: " + e.getMessage() + "; devices plugged in later are not seen";
      log.error("port monitor: {}", problem);
    }
    List<PortEvent> present = hotplug != null ? hotplug.start() : monitor.start();
    log.info(
        "port monitor started in {} mode: {} USB device(s) decided",
        settings.mode(),
        present.size());
  }

  /** The policy of {@code ports}: its rules file, or none (monitor mode only). */
  private UsbPolicy loadPolicy(StationConfig.Ports ports) throws IOException, PolicyException {
    Path file = ports.rulesFile();
    if (file == null) {
      if (settings.mode() == PortMode.ENFORCE) {
        throw new IOException(
            "ports.mode is enforce but ports.rulesFile is not set; an empty policy would block"
                + " every USB device, the station's keyboard included. Set ports.rulesFile (see"
                + " `burnguard policy generate`)");
      }
      return UsbPolicy.empty();
    }
    return UsbPolicy.load(file);
  }

  private static String describe(Exception e) {
    if (e instanceof PolicyException pe) {
      StringBuilder b = new StringBuilder("the rules file has errors:");
      for (PolicyProblem pp : pe.problems()) {
        b.append("\n  ").append(pp);
      }
      return b.toString();
    }
    return e.getMessage();
  }

  /**
   * Sends every alert (ports, scans, all) also to syslog when {@code ports.syslog} is set; null
   * when it is not.
   */
  static SyslogSender syslog(StationConfig config, LedgerService ledger, Clock clock) {
    String target = config.ports().syslog();
    if (target == null) {
      return null;
    }
    String host;
    try {
      host = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      host = config.station().id();
    }
    SyslogSender sender = new SyslogSender(target, config.station().id(), host, clock);
    ledger.alerts().onRaised(sender::sendLater);
    log.info("alerts also go to syslog at {}", target);
    return sender;
  }

  /**
   * Watches every fixture's serial port for processes other than the daemon (never opening it). A
   * port without a node is logged; inotify missing only loses the watching.
   */
  private void watchSerial(List<StationConfig.Fixture> fixtures) {
    for (StationConfig.Fixture f : fixtures) {
      fixturePorts.put(f.id(), Path.of(f.port()));
    }
    if (fixturePorts.isEmpty()) {
      return;
    }
    try {
      serial = SerialWatch.start(fixturePorts, PROC, this::onSerialUse);
    } catch (IOException | RuntimeException e) {
      log.error("fixture serial ports are not watched: {}", e.getMessage());
    }
  }

  /**
   * Records a foreign use of a fixture's port; a new one is a severity-1 alert, a process that
   * already held the port when the daemon started is recorded and logged.
   */
  private void onSerialUse(String fixture, Path device, List<PortUser> users, boolean atStart) {
    String msg = SerialPortsReport.describe(fixture, device, users, atStart);
    try {
      store.recordSerialUse(
          fixture,
          device.toString(),
          settings.mode().name(),
          atStart ? "held" : "foreign-open",
          msg,
          clock.instant());
    } catch (DatabaseException e) {
      log.error("cannot record the serial port use on {}: {}", fixture, e.getMessage());
    }
    if (atStart) {
      log.warn("{}", msg);
      return;
    }
    log.warn("ALERT CRITICAL port.serial-foreign: {}", msg);
    try {
      ledger.alerts().raise(Severity.CRITICAL, "port.serial-foreign", msg);
    } catch (DatabaseException e) {
      log.error("cannot store the alert port.serial-foreign: {}", e.getMessage());
    }
  }

  /** Records one decision and raises its alert; runs on the monitor's thread. */
  private void onEvent(PortEvent e) {
    try {
      store.record(e);
    } catch (DatabaseException ex) {
      log.error("cannot record the port event {} on {}: {}", e.kind(), e.port(), ex.getMessage());
    }
    List<Decision> others = monitor == null ? List.of() : monitor.decisions();
    PortAlert.of(e, others)
        .ifPresent(
            a -> {
              log.warn("ALERT {} {}: {}", a.severity(), a.kind(), a.message());
              try {
                ledger.alerts().raise(a.severity(), a.kind(), a.message());
              } catch (DatabaseException ex) {
                log.error("cannot store the alert {}: {}", a.kind(), ex.getMessage());
              }
            });
  }

  /** {@code ports}: the present devices with their decision and rule. */
  Result ports(Call call) throws OperationException {
    PortMonitor m = running();
    ObjectNode data = Wire.object();
    data.put("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
    data.put("policy", m.policy().source());
    ArrayNode devices = data.putArray("devices");
    for (Decision d : m.decisions()) {
      ObjectNode n = devices.addObject();
      n.put("port", d.device().port());
      n.put("id", d.device().id());
      n.put("name", PortAlert.printable(d.device().name()));
      n.put("serial", PortAlert.printable(d.device().serial()));
      n.put("hash", d.device().hash());
      ArrayNode ifs = n.putArray("interfaces");
      d.device().interfaces().forEach(t -> ifs.add(t.toString()));
      n.put("action", d.target().keyword());
      n.put("line", d.line());
      n.put("rule", d.rule());
      n.put("decidedAt", Timestamps.format(d.at()));
    }
    ArrayNode refused = data.putArray("refused");
    for (UsbProblem p : m.refused()) {
      ObjectNode n = refused.addObject();
      n.put("port", p.port());
      n.put("reason", p.reason());
    }
    serialPorts(data.putArray("serial"), m);
    if (hotplug == null) {
      data.put("hotplugFailure", problem);
    } else {
      hotplug.failure().ifPresent(t -> data.put("hotplugFailure", String.valueOf(t.getMessage())));
    }
    return Result.ok(data);
  }

  /** The serial ports (inventory and fixtures) with holders and last use; never opens one. */
  private void serialPorts(ArrayNode out, PortMonitor m) throws OperationException {
    List<SerialPort> inventory;
    try {
      inventory = SerialInventory.at(Path.of("/sys"), Path.of("/dev")).scan();
    } catch (IOException e) {
      log.warn("serial inventory failed: {}", e.getMessage());
      inventory = List.of();
    }
    try {
      new SerialPortsReport(
              inventory, fixturePorts, m.decisions(), store.lastSerialUse(), new ProcScan(PROC))
          .render(out);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  /** {@code ports events --since T}. */
  Result events(Call call) throws OperationException {
    String since;
    try {
      since = Timestamps.format(Timestamps.parse(call.text("since")));
    } catch (IllegalArgumentException e) {
      throw new OperationException(ExitCode.USAGE, e.getMessage(), e);
    }
    try {
      ObjectNode data = Wire.object();
      ArrayNode arr = data.putArray("events");
      for (PortEventRow r : store.since(since, 10_000)) {
        arr.add(Wire.mapper().valueToTree(r));
      }
      return Result.ok(data);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  /** {@code policy show}: the rules in force. */
  Result show(Call call) throws OperationException {
    PortMonitor m = running();
    ObjectNode data = Wire.object();
    data.put("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
    data.put("source", m.policy().source());
    ArrayNode rules = data.putArray("rules");
    m.policy().canonicalRules().forEach(rules::add);
    return Result.ok(data);
  }

  /**
   * {@code policy reload}: parses the rules file of {@code current} (the configuration generation
   * in force, so a {@code config reload} that names another file is followed) whole first; a bad
   * file changes nothing and the answer lists every problem. A good one replaces the policy and
   * re-decides every present device. The mode stays the one the monitor started with.
   */
  Result reload(Call call, StationConfig.Ports current) throws OperationException {
    PortMonitor m = running();
    UsbPolicy policy;
    try {
      policy = loadPolicy(current);
    } catch (IOException | PolicyException e) {
      record(call, "refused: " + describe(e));
      throw new OperationException(
          ExitCode.USAGE,
          "policy not reloaded, the running policy is unchanged: " + describe(e),
          e);
    }
    List<PortEvent> events;
    try {
      events = m.reload(policy);
    } catch (IOException e) {
      record(call, "failed: " + e.getMessage());
      throw new OperationException(ExitCode.DEVICE, "policy reload failed: " + e.getMessage(), e);
    }
    String msg =
        "policy reloaded from "
            + policy.source()
            + ": "
            + policy.size()
            + " rule(s), "
            + events.size()
            + " device(s) decided again"
            + (current.mode() == settings.mode()
                ? ""
                : "; ports.mode is now "
                    + current.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + " in station.yaml, which takes effect when the daemon restarts (running: "
                    + settings.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + ")");
    record(call, msg);
    ObjectNode data = Wire.object();
    data.put("source", policy.source());
    data.put("rules", policy.size());
    data.put("devices", events.size());
    return new Result(ExitCode.OK, msg, data);
  }

  private void record(Call call, String detail) {
    try {
      admin.record("POLICY_RELOAD", call.caller(), "policy.reload", detail);
    } catch (DatabaseException e) {
      log.error("cannot record the policy reload: {}", e.getMessage());
    }
  }

  private PortMonitor running() throws OperationException {
    if (monitor == null) {
      throw new OperationException(ExitCode.USAGE, problem);
    }
    return monitor;
  }

  /** Stops the uevent reader. Nothing is opened up: blocked devices stay blocked. */
  @Override
  public void close() {
    if (hotplug != null) {
      hotplug.close();
    }
    if (serial != null) {
      serial.close();
    }
  }
}
