package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.burn.BurnPipeline;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.ControlServer;
import io.burnguard.agent.control.Denial;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.doctor.Check;
import io.burnguard.agent.doctor.FileTrust;
import io.burnguard.agent.doctor.PostureChecks;
import io.burnguard.agent.doctor.StationDoctor;
import io.burnguard.agent.fixtures.DriverRule;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.scan.ClamdAddress;
import io.burnguard.agent.scan.ClamdClient;
import io.burnguard.agent.scan.ClamdSettings;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.ScanPolicy;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
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
  private final StationConfig config;
  private final Database db;
  private final Clock clock;
  private final Instant started;
  private final AdminEvents events;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ClamdClient clamd;
  private final ScanPolicy scanPolicy;
  private FirmwareOps firmware;
  private LedgerService ledger;
  private OrderOps orders;
  private AlertOps alerts;
  private AuditOps audit;
  private BurnOps burns;
  private PartsOps parts;
  private ControlServer server;

  private Daemon(Path configFile, StationConfig config, Database db, Clock clock) {
    this.configFile = configFile;
    this.config = config;
    this.db = db;
    this.clock = clock;
    this.started = Instant.now(clock);
    this.events = new AdminEvents(db, clock);
    StationConfig.Scanner sc = config.scanner();
    this.clamd =
        new ClamdClient(
            ClamdSettings.of(ClamdAddress.parse(sc.clamd()))
                .withTimeouts(sc.connectTimeout(), sc.readTimeout(), sc.scanTimeout()));
    this.scanPolicy =
        new ScanPolicy(sc.maxDatabaseAge(), sc.allowUndatedDatabase(), sc.databaseDir());
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
    checkDrivers(config);
    Daemon d = new Daemon(configFile, config, db, clock);
    try {
      d.ledger = LedgerService.open(db, clock);
      List<BurnRecord> interrupted = d.ledger.recoverInterrupted();
      if (!interrupted.isEmpty()) {
        log.warn(
            "{} burn(s) were running when the daemon stopped and are now INTERRUPTED: {}",
            interrupted.size(),
            interrupted.stream().map(b -> b.request().barcode()).toList());
      }
      // The fetcher deletes an infected image itself; the hook removes any older cached copy.
      ImageScanner scanner =
          new ImageScanner(
              d.clamd,
              db,
              d.scanPolicy,
              clock,
              new AlertsForScans(d.ledger),
              (sha, signature) -> d.firmware.cache().remove(sha));
      d.firmware = new FirmwareOps(config, db, clock, scanner);
      d.orders = new OrderOps(config, d.ledger);
      d.alerts = new AlertOps(d.ledger);
      d.audit = new AuditOps(db, d.ledger);
      d.burns =
          new BurnOps(
              new BurnPipeline(config, d.ledger, d.firmware::vettedForBurn, scanner), d.ledger);
      d.parts = new PartsOps(config, db, d.ledger, d.clamd, d.scanPolicy, clock);
      d.openSocket();
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

  private void openSocket() throws DaemonException, IOException {
    Path socket = config.station().socket();
    SocketDirectory.prepare(socket, config.station().socketGroup());
    Operations ops =
        new Operations()
            .handle(Operation.DOCTOR, this::doctor)
            .handle(Operation.FIRMWARE_FETCH, firmware::fetch)
            .handle(Operation.FIRMWARE_LIST, firmware::list)
            .handle(Operation.ORDER_OPEN, orders::orderOpen)
            .handle(Operation.ORDER_CLOSE, orders::orderClose)
            .handle(Operation.ORDER_LIST, orders::orderList)
            .handle(Operation.UNITS, burns::units)
            .handle(Operation.ALERTS_LIST, alerts::alertsList)
            .handle(Operation.ALERTS_ACK, alerts::alertsAck)
            .handle(Operation.AUDIT_HEAD, audit::auditHead)
            .handle(Operation.AUDIT_VERIFY, audit::auditVerify)
            .handle(Operation.BURN, burns::burn);
    parts.attach(ops, burns::trace);
    server =
        new ControlServer(
            socket,
            config.roles(),
            ops.all(),
            this::recordDenial,
            clock,
            " (" + config.station().dataDir().resolve("log/agent.log") + ")");
    server.start();
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

  private Result doctor(Call call) {
    List<Check> checks = new ArrayList<>();
    checks.add(PostureChecks.config(configFile));
    checks.add(PostureChecks.database(db));
    checks.add(PostureChecks.socket(server.socket()));
    checks.add(PostureChecks.disk(config.station().dataDir()));
    checks.add(PostureChecks.scanner(ImageScanner.status(clamd, scanPolicy, clock)));
    checks.addAll(StationDoctor.daemonChecks(config, configFile, db, clock));
    ObjectNode data = Wire.object();
    data.put("station", config.station().id());
    data.put("config", configFile.toString());
    data.put("dataDir", config.station().dataDir().toString());
    data.put("startedAt", started.toString());
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
    Set<Integer> owners = FileTrust.daemonOwners();
    List<String> problems = FileTrust.problems(config, configFile, owners);
    if (!problems.isEmpty()) {
      throw new DaemonException(
          ExitCode.USAGE,
          "the daemon refuses to start: the files it would trust are not safe (allowed owners:"
              + " uid "
              + new TreeSet<>(owners)
              + "): "
              + String.join("; ", problems)
              + ". Fix: "
              + FileTrust.FIX,
          null);
    }
  }

  // ---- end of the file trust check ------------------------------------------------------------

  /** Every fixture must name a driver this build has; found at start, not at the first burn. */
  private static void checkDrivers(StationConfig config) throws DaemonException {
    for (StationConfig.Fixture f : config.fixtures()) {
      if (!BurnerDrivers.names().contains(f.driver())) {
        throw new DaemonException(
            ExitCode.USAGE,
            "the daemon refuses to start: fixture "
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
            "the daemon refuses to start: fixture "
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

  /** The loaded configuration. */
  public StationConfig config() {
    return config;
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
    if (server != null) {
      server.close();
      try {
        events.record("DAEMON_STOP", null, null, "clean shutdown");
      } catch (DatabaseException e) {
        log.warn("cannot record the daemon stop: {}", e.getMessage());
      }
    }
    db.close();
    log.info("BurnGuard daemon stopped");
  }
}
