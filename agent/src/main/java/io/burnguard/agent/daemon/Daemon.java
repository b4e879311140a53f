package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.ControlServer;
import io.burnguard.agent.control.Denial;
import io.burnguard.agent.control.Handler;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.doctor.Check;
import io.burnguard.agent.doctor.FileTrust;
import io.burnguard.agent.doctor.PostureChecks;
import io.burnguard.agent.doctor.StationDoctor;
import io.burnguard.agent.fixtures.DriverRule;
import io.burnguard.agent.fleet.FleetShipper;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.config.ConfigException;
import io.burnguard.config.Role;
import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfigLoader;
import io.burnguard.drivers.BurnerDrivers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BurnGuard daemon: one per station.
 *
 * <p>Start-up order matters and fails closed: the config must be valid, then the data directory and
 * the database must be writable, and only then does the control socket open. A daemon that cannot
 * record does not accept requests at all.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** Name of the database file in the data directory. */
  public static final String DATABASE_FILE = "burnguard.db";

  private final Path configFile;
  private final Database db;
  private final Clock clock;
  private final Instant started;
  private final AdminEvents events;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * The current configuration generation: swapped whole by a reload, taken once per request
   * (docs/architecture.md, "Configuration generations").
   */
  private final AtomicReference<StationRuntime> runtime = new AtomicReference<>();

  private LedgerService ledger;
  private AlertOps alerts;
  private FleetShipper fleet; // fleet ledger (issue 16); null without a fleet section
  private AuditOps audit;
  private ConfigReload reload;
  private PartsOps parts;
  private ControlServer server;
  // --- ports (issue 14): the USB port monitor, started before the socket, closed after it.
  private PortOps ports;
  private io.burnguard.agent.alerts.SyslogSender syslog;

  private Daemon(Path configFile, Database db, Clock clock) {
    this.configFile = configFile;
    this.db = db;
    this.clock = clock;
    this.started = Instant.now(clock);
    this.events = new AdminEvents(db, clock);
  }

  /** Loads the config, opens the database and the socket; refuses to start on any problem. */
  public static Daemon start(Path configFileAsGiven, Clock clock) throws DaemonException {
    Path configFile = configFileAsGiven.toAbsolutePath().normalize();
    StationConfig config;
    try {
      config = StationConfigLoader.load(configFile, DriverRule.forBuiltInDrivers());
    } catch (ConfigException e) {
      throw new DaemonException(
          ExitCode.USAGE, "the daemon refuses to start: " + e.getMessage(), null);
    }
    checkFileTrust(configFile, config);
    Path dataDir = config.station().dataDir();
    try {
      Files.createDirectories(dataDir);
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new DaemonException(
          "cannot create the data directory "
              + dataDir
              + ": "
              + e.getMessage()
              + "; create it for the daemon's user or fix station.dataDir",
          e);
    }
    DaemonLogging.toFile(dataDir.resolve("log"));
    Database db;
    try {
      db = Database.open(dataDir.resolve(DATABASE_FILE));
      db.checkWritable();
    } catch (DatabaseException e) {
      throw new DaemonException("the daemon refuses to start: " + e.getMessage(), e);
    }
    checkDrivers(config, "the daemon refuses to start: ");
    Daemon d = new Daemon(configFile, db, clock);
    try {
      d.ledger = LedgerService.open(db, clock);
      List<BurnRecord> interrupted = d.ledger.recoverInterrupted();
      if (!interrupted.isEmpty()) {
        log.warn(
            "{} burn(s) were running when the daemon stopped and are now INTERRUPTED: {}",
            interrupted.size(),
            interrupted.stream().map(b -> b.request().barcode()).toList());
      }
      d.alerts = new AlertOps(d.ledger);
      d.audit = new AuditOps(db, d.ledger);
      // --- ports (issue 14): present devices are decided before the socket accepts requests.
      d.syslog = PortOps.syslog(config, d.ledger, clock);
      d.ports = PortOps.start(config, db, d.ledger, d.events, clock);
      // --- end ports
      d.parts = new PartsOps(config, db, d.ledger, clock);
      d.runtime.set(
          StationRuntime.first(
              config, db, clock, d.ledger, new AlertsForScans(d.ledger), d::handlers));
      // One trust refresher per daemon (issue 12.1), built with the first generation.
      d.runtime.get().firmware().refresher().start();
      d.reload = new ConfigReload(configFile, d.ledger, d.events, d.runtime);
      // Fleet ledger (issue 16): ships the audit chain beside the pipeline; a burn never waits.
      if (config.fleet() != null) {
        d.fleet = FleetShipper.start(db, d.ledger.chain(), config, d.ledger.alerts(), clock);
      }
      d.openSocket(config);
      d.parts.startInventoryCheck(d::config); // key parts (issue 15): overdue parts alerted unasked
      d.events.record("DAEMON_START", null, null, "station " + config.station().id());
    } catch (DaemonException | DatabaseException | IOException | RuntimeException e) {
      d.close();
      if (e instanceof DaemonException de) {
        throw de;
      }
      throw new DaemonException("the daemon refuses to start: " + e.getMessage(), e);
    }
    log.info(
        "BurnGuard daemon started: station {}, config {}, data {}, socket {}",
        config.station().id(),
        configFile,
        dataDir,
        config.station().socket());
    return d;
  }

  /** The socket settings are restart-only: they come from the first generation. */
  private void openSocket(StationConfig config) throws DaemonException, IOException {
    Path socket = config.station().socket();
    SocketDirectory.prepare(socket, config.station().socketGroup());
    server =
        new ControlServer(
            socket,
            () -> runtime.get().routes(),
            this::recordDenial,
            clock,
            " (" + config.station().dataDir().resolve("log/agent.log") + ")");
    server.start();
  }

  /** The handlers of one generation, bound to its objects (and the daemon's shared ones). */
  private Map<Operation, Handler> handlers(StationRuntime rt) {
    Operations ops =
        new Operations()
            .handle(Operation.DOCTOR, call -> doctor(rt, call))
            .handle(Operation.FIRMWARE_FETCH, rt.firmware()::fetch)
            .handle(Operation.FIRMWARE_LIST, rt.firmware()::list)
            .handle(Operation.ORDER_OPEN, rt.orders()::orderOpen)
            .handle(Operation.ORDER_CLOSE, rt.orders()::orderClose)
            .handle(Operation.ORDER_LIST, rt.orders()::orderList)
            .handle(Operation.UNITS, rt.burns()::units)
            .handle(Operation.ALERTS_LIST, alerts::alertsList)
            .handle(Operation.ALERTS_ACK, alerts::alertsAck)
            .handle(Operation.AUDIT_HEAD, audit::auditHead)
            .handle(Operation.AUDIT_VERIFY, audit::auditVerify)
            .handle(Operation.BURN, rt.burns()::burn)
            .handle(
                Operation.CONFIG_RELOAD,
                call -> reload.reload(ConfigReload.Source.of(call.caller())))
            // --- ports (issue 14): daemon-wide, the same monitor in every generation
            .handle(Operation.PORTS, call -> ports.ports(call))
            .handle(Operation.PORTS_EVENTS, call -> ports.events(call))
            .handle(Operation.POLICY_SHOW, call -> ports.show(call))
            .handle(Operation.POLICY_RELOAD, call -> ports.reload(call, rt.config().ports()));
    parts.attach(ops, rt.burns()::trace, rt.config());
    return ops.all();
  }

  /**
   * Reloads station.yaml and the trust files (SIGHUP); the outcome is logged and recorded like a
   * {@code config reload} request's.
   */
  public void reloadFromSignal() {
    log.info("SIGHUP received: reloading {}", configFile);
    try {
      Result r = reload.reload(ConfigReload.Source.signal());
      if (r.exit() != ExitCode.OK) {
        log.warn("SIGHUP: {}", r.message());
      }
    } catch (RuntimeException e) {
      // the signal's thread would end with the exception on stderr only: say it in the log
      log.error("SIGHUP: the reload of {} failed unexpectedly; nothing was changed", configFile, e);
    }
  }

  /**
   * Records refusals, coalesced by the control server (one entry for many repeats, with their exact
   * count and time range): the log, admin_events and the audit chain.
   */
  private void recordDenial(Denial d) {
    String kind = AdminEvents.kind(d);
    log.warn(
        "{} {} for {} (uid {}, groups {}): {}; {} time(s) from {} to {}",
        kind,
        d.request(),
        d.caller().user(),
        d.caller().uid(),
        d.caller().groups(),
        AdminEvents.reason(d),
        d.count(),
        d.first(),
        d.last());
    try {
      events.record(kind, d.caller(), d.request(), AdminEvents.detail(d));
    } catch (DatabaseException e) {
      log.error(
          "cannot record a refusal of {} for {}: {}",
          d.request(),
          d.caller().user(),
          e.getMessage());
    }
    audit.chainDenial(d);
  }

  private Result doctor(StationRuntime rt, Call call) {
    StationConfig config = rt.config();
    List<Check> checks = new ArrayList<>();
    checks.add(PostureChecks.config(configFile));
    checks.add(PostureChecks.database(db));
    checks.add(PostureChecks.socket(server.socket()));
    checks.add(HangupCheck.check());
    checks.add(PostureChecks.disk(config.station().dataDir()));
    checks.add(PostureChecks.scanner(ImageScanner.status(rt.clamd(), rt.scanPolicy(), clock)));
    checks.addAll(StationDoctor.daemonChecks(config, configFile, db, clock));
    checks.add(
        RefreshCheck.check(
            runtime.get().firmware().refresher().status(),
            clock.instant(),
            !config.fixtures().isEmpty()));
    ObjectNode data = Wire.object();
    data.put("station", config.station().id());
    data.put("config", configFile.toString());
    data.put("dataDir", config.station().dataDir().toString());
    data.put("startedAt", started.toString());
    data.put("configGeneration", rt.generation());
    data.put("auditPublicKey", ledger.publicKeyPem());
    ObjectNode you = data.putObject("caller");
    you.put("user", call.caller().user());
    ArrayNode roles = you.putArray("roles");
    call.caller().roles().stream().map(Role::word).sorted().forEach(roles::add);
    ArrayNode arr = data.putArray("checks");
    ExitCode exit = ExitCode.OK;
    for (Check c : checks) {
      arr.add(c.toJson());
      if (c.status() == Check.Status.FAIL && exit == ExitCode.OK) {
        exit = c.exit();
      }
    }
    return new Result(exit, "", data);
  }

  // ---- File trust at start (issue 12.9; docs/decisions.md, "File trust") -----------------------
  // Runs before the data directory is created or chmod-ed and before any key is read: a data
  // directory that is a link, or that someone else made and filled with their own audit key, must
  // be refused, not adopted. The same checks as doctor's "files" line (doctor/FileTrust).

  private static void checkFileTrust(Path configFile, StationConfig config) throws DaemonException {
    String unsafe = unsafeFiles(configFile, config);
    if (unsafe != null) {
      throw new DaemonException(ExitCode.USAGE, "the daemon refuses to start: " + unsafe, null);
    }
  }

  /**
   * Why the files {@code config} names are not safe to trust, or null when they are: the same check
   * at start and at a reload (ConfigReload).
   */
  static String unsafeFiles(Path configFile, StationConfig config) {
    Set<Integer> owners = FileTrust.daemonOwners();
    List<String> problems = FileTrust.problems(config, configFile, owners);
    if (problems.isEmpty()) {
      return null;
    }
    return "the files it would trust are not safe (allowed owners: uid "
        + new TreeSet<>(owners)
        + "): "
        + String.join("; ", problems)
        + ". Fix: "
        + FileTrust.FIX;
  }

  // ---- end of the file trust check ------------------------------------------------------------

  /**
   * Every fixture must name a driver this build has; found at start (and reload), not at the first
   * burn. {@code refusal} starts each message (what is refused).
   */
  static void checkDrivers(StationConfig config, String refusal) throws DaemonException {
    for (StationConfig.Fixture f : config.fixtures()) {
      if (!BurnerDrivers.names().contains(f.driver())) {
        throw new DaemonException(
            ExitCode.USAGE,
            refusal
                + "fixture "
                + f.id()
                + " names the driver \""
                + f.driver()
                + "\"; known: "
                + String.join(", ", BurnerDrivers.names())
                + ". Fix station.yaml",
            null);
      }
      StationConfig.Model m = config.models().get(f.model());
      if (m == null || m.recipe() == null) {
        throw new DaemonException(
            ExitCode.USAGE,
            refusal
                + "fixture "
                + f.id()
                + " burns model "
                + f.model()
                + ", which has no recipe (models."
                + f.model()
                + ".recipe in station.yaml)",
            null);
      }
    }
  }

  /** The configuration in force now (the current generation's). */
  public StationConfig config() {
    return runtime.get().config();
  }

  /** The station database. */
  public Database database() {
    return db;
  }

  /** Blocks until {@link #requestStop()} is called. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Asks the daemon to stop (from a signal handler); {@link #awaitStop()} then returns. */
  public void requestStop() {
    stopped.countDown();
  }

  /** Stops serving, records the stop and closes the database. */
  @Override
  public void close() {
    StationRuntime rt = runtime.get();
    if (rt != null) {
      rt.firmware().refresher().close();
    }
    if (server != null) {
      server.close();
      try {
        events.record("DAEMON_STOP", null, null, "clean shutdown");
      } catch (DatabaseException e) {
        log.warn("cannot record the daemon stop: {}", e.getMessage());
      }
    }
    // --- ports (issue 14): stops the uevent reader only; nothing is opened up.
    if (ports != null) {
      ports.close();
    }
    if (syslog != null) {
      syslog.close();
    }
    // --- end ports
    if (parts != null) {
      parts.close(); // key parts (issue 15): the scheduled inventory, before the database
    }
    if (fleet != null) {
      fleet.close(); // fleet ledger (issue 16): stop shipping before the database closes
    }
    db.close();
    log.info("BurnGuard daemon stopped");
  }
}
