package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.Handler;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ledger.PartsLedger;
import io.burnguard.agent.parts.Actor;
import io.burnguard.agent.parts.Certificate;
import io.burnguard.agent.parts.DeviceProbe;
import io.burnguard.agent.parts.DeviceRefused;
import io.burnguard.agent.parts.Part;
import io.burnguard.agent.parts.PartRefused;
import io.burnguard.agent.parts.PartScanReport;
import io.burnguard.agent.parts.PartScanner;
import io.burnguard.agent.parts.Parts;
import io.burnguard.agent.parts.PartsPolicy;
import io.burnguard.agent.parts.PartsStoreException;
import io.burnguard.agent.parts.SanitizeException;
import io.burnguard.agent.parts.Sanitizer;
import io.burnguard.agent.parts.ScrapMethod;
import io.burnguard.agent.parts.TransitionRefused;
import io.burnguard.agent.scan.ClamdAddress;
import io.burnguard.agent.scan.ClamdClient;
import io.burnguard.agent.scan.ClamdSettings;
import io.burnguard.agent.scan.MediaScanner;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.scan.ScanPolicy;
import io.burnguard.config.StationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's key-parts requests (issue 15): {@code parts register|sanitize|scan|inventory|
 * install|scrap|witness|certificate} and the parts shown by {@code trace}. Thin: reads arguments,
 * calls {@link Parts} (roles and lifecycle are checked there), maps refusals to exit codes.
 */
final class PartsOps implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartsOps.class);

  private final PartsLedger store;
  private final DeviceProbe probe;
  private final Sanitizer sanitizer;
  private final PartScanner scanner;
  private final Path scanDir;
  private final PartsInventory inventory;
  private final LedgerService ledger;
  private final Clock clock;
  private final Duration inventoryCheck;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "burnguard-parts-inventory");
            t.setDaemon(true);
            return t;
          });

  /**
   * Built once per daemon: the clamd address for part scans and the period of the scheduled
   * inventory are read at start; the {@code parts} policy (suppliers, file system, label,
   * verification, inventory interval) comes with each configuration generation ({@link #attach}).
   */
  PartsOps(StationConfig config, Database db, LedgerService ledger, Clock clock) {
    StationConfig.Scanner sc = config.scanner();
    ClamdClient clamd =
        new ClamdClient(
            ClamdSettings.of(ClamdAddress.parse(sc.clamd()))
                .withTimeouts(sc.connectTimeout(), sc.readTimeout(), sc.scanTimeout()));
    ScanPolicy scanPolicy =
        new ScanPolicy(sc.maxDatabaseAge(), sc.allowUndatedDatabase(), sc.databaseDir());
    MediaScanner media = new MediaScanner(clamd, scanPolicy, clock, new AlertsForScans(ledger));
    Path data = config.station().dataDir();
    DeviceProbe probe = new DeviceProbe(Path.of("/sys"), Path.of("/proc/self/mountinfo"), data);
    this.store = new PartsLedger(db, ledger.chain());
    this.probe = probe;
    this.sanitizer = new Sanitizer(clock);
    this.scanDir = data.resolve("parts-scan");
    this.scanner = new PartScanner(media, scanDir);
    this.inventory = new PartsInventory(store, probe, ledger, Path.of("/sys"), clock);
    this.inventoryCheck = config.parts().inventoryCheck();
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * Starts the scheduled inventory: a pass now and then every {@code parts.inventoryCheck} (read at
   * start); each pass takes {@code parts.inventoryInterval} from the configuration in force then. A
   * failing pass is logged and the next one runs.
   */
  void startInventoryCheck(Supplier<StationConfig> current) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            inventory.scheduled(current.get().parts().inventoryInterval());
          } catch (PartsStoreException | RuntimeException e) {
            log.error("the scheduled parts inventory failed: {}", e.getMessage());
          }
        },
        0,
        inventoryCheck.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops the scheduled inventory (before the database closes). */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the scheduled parts inventory did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The sanitizing tool named on certificates: BurnGuard and the agent's version. */
  private static String tool() {
    String v = PartsOps.class.getPackage().getImplementationVersion();
    return "BurnGuard " + (v == null ? "(development build)" : v);
  }

  /**
   * Attaches every parts handler of a configuration generation, with that generation's {@code
   * parts} policy; {@code burnsTrace} is extended with the unit's parts.
   */
  void attach(Operations ops, Handler burnsTrace, StationConfig config) {
    Parts parts = new Parts(store, probe, sanitizer, PartsPolicy.of(config), tool(), clock);
    Duration interval = config.parts().inventoryInterval();
    ops.handle(Operation.PARTS_REGISTER, call -> register(call, parts))
        .handle(Operation.PARTS_SANITIZE, call -> sanitize(call, parts))
        .handle(Operation.PARTS_SCAN, call -> scan(call, parts))
        .handle(
            Operation.PARTS_INVENTORY,
            call -> guarded(() -> inventory.run(call, actor(call), interval)))
        .handle(Operation.PARTS_INSTALL, call -> install(call, parts))
        .handle(Operation.PARTS_SCRAP, call -> scrap(call, parts))
        .handle(Operation.PARTS_WITNESS, call -> witness(call, parts))
        .handle(Operation.PARTS_CERTIFICATE, this::certificate)
        .handle(
            Operation.PARTS_SHOW, call -> guarded(() -> PartView.show(store, call.text("part"))))
        .handle(Operation.TRACE, call -> trace(call, burnsTrace));
  }

  Result register(Call call, Parts parts) throws OperationException {
    JsonNode a = call.args();
    LocalDate received;
    try {
      String r = a.path("received").asText("");
      received = r.isEmpty() ? LocalDate.now(clock) : LocalDate.parse(r);
    } catch (DateTimeParseException e) {
      throw new OperationException(
          ExitCode.USAGE, "--received must be a date like 2026-11-30: " + e.getMessage(), e);
    }
    return guarded(
        () -> {
          Part p =
              parts.register(
                  call.text("part"),
                  Path.of(call.text("device")),
                  call.text("supplier"),
                  a.path("lot").asText(""),
                  received,
                  actor(call));
          return new Result(
              ExitCode.OK,
              "registered part "
                  + p.id()
                  + " ("
                  + p.identity().mediaType()
                  + (p.identity().usb() == null ? "" : ", USB " + p.identity().usb().describe())
                  + "), RECEIVED",
              part(p));
        });
  }

  Result sanitize(Call call, Parts parts) throws OperationException {
    return guarded(
        () -> {
          Certificate c =
              parts.sanitize(
                  call.text("part"),
                  Path.of(call.text("device")),
                  actor(call),
                  p -> {
                    call.progress(p.phase().name().toLowerCase(Locale.ROOT), p.done(), p.total());
                    if (!call.clientConnected()) {
                      Thread.currentThread().interrupt(); // the CLI went away: cancel the run
                    }
                  });
          return new Result(
              ExitCode.OK,
              "part " + c.partId() + " is SANITIZED; certificate " + c.certificateId(),
              certificate(c));
        });
  }

  Result scan(Call call, Parts parts) throws OperationException {
    return guarded(
        () -> {
          String id = call.text("part");
          if (store.find(id).isEmpty()) {
            throw new OperationException(
                ExitCode.REFUSED,
                "no part " + id + " is registered; check the id or register it (parts register)",
                null);
          }
          Files.createDirectories(
              scanDir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
          PartScanReport report =
              scanner.scan(
                  Path.of(call.text("device")),
                  (done, total) -> call.progress("scan", done, total));
          Part after = parts.scanned(id, report, actor(call));
          ObjectNode data = part(after);
          data.put("scan", report.summary());
          if (report.clean()) {
            return new Result(ExitCode.OK, "part " + id + " is clean: " + report.summary(), data);
          }
          raise(
              Severity.CRITICAL,
              "parts.malware",
              "part " + id + ": " + report.summary() + "; it is RECEIVED and must be sanitized");
          return new Result(
              ExitCode.REFUSED,
              "part "
                  + id
                  + " is infected: "
                  + report.summary()
                  + "; it is back in RECEIVED: sanitize it again (parts sanitize)",
              data);
        });
  }

  Result certificate(Call call) throws OperationException {
    String certificateOf = call.text("part");
    return guarded(
        () -> {
          Optional<Certificate> c = store.certificate(certificateOf);
          if (c.isEmpty()) {
            throw new OperationException(
                ExitCode.REFUSED,
                "part "
                    + certificateOf
                    + " has no certificate of sanitization"
                    + (store.find(certificateOf).isEmpty()
                        ? ": no such part is registered"
                        : ": it was never sanitized completely; run parts sanitize"),
                null);
          }
          return new Result(ExitCode.OK, c.get().toText(), certificate(c.get()));
        });
  }

  Result install(Call call, Parts parts) throws OperationException {
    return guarded(
        () -> {
          Part p = parts.install(call.text("part"), call.text("unit"), actor(call));
          return new Result(
              ExitCode.OK, "part " + p.id() + " is INSTALLED in unit " + p.unitBarcode(), part(p));
        });
  }

  Result witness(Call call, Parts parts) throws OperationException {
    String note = call.args().path("note").asText("");
    return guarded(
        () -> {
          Part p = parts.witness(call.text("part"), note, actor(call));
          return new Result(
              ExitCode.OK,
              "part " + p.id() + " is SCRAPPED, witnessed by " + call.caller().user(),
              part(p));
        });
  }

  Result scrap(Call call, Parts parts) throws OperationException {
    String note = call.args().path("note").asText("");
    ScrapMethod method;
    try {
      method = ScrapMethod.valueOf(call.text("method").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new OperationException(
          ExitCode.USAGE,
          "--method must be shred, disintegrate, crush or incinerate (degaussing is not a"
              + " Destroy method in NIST SP 800-88 Rev. 2)",
          e);
    }
    return guarded(
        () -> {
          Part p = parts.scrap(call.text("part"), method, note, actor(call));
          return new Result(
              ExitCode.OK,
              "scrapping of part "
                  + p.id()
                  + " recorded ("
                  + method.name().toLowerCase(Locale.ROOT)
                  + "); it is SCRAPPED once a security officer other than you runs"
                  + " parts witness "
                  + p.id(),
              part(p));
        });
  }

  /** The burns' trace, plus the parts installed in the unit and their certificates. */
  Result trace(Call call, Handler burnsTrace) throws OperationException {
    Result burns = burnsTrace.handle(call);
    if (burns.exit() != ExitCode.OK || !(burns.data() instanceof ObjectNode data)) {
      return burns;
    }
    return guarded(
        () -> {
          ArrayNode arr = data.putArray("parts");
          for (Part p : store.installedIn(call.text("barcode"))) {
            ObjectNode n = part(p);
            store.certificate(p.id()).ifPresent(c -> n.set("certificate", certificate(c)));
            arr.add(n);
          }
          String message = arr.isEmpty() || data.path("burns").size() > 0 ? burns.message() : "";
          return new Result(ExitCode.OK, message, data);
        });
  }

  void raise(Severity s, String kind, String message) {
    log.warn("ALERT {} {}: {}", s, kind, message);
    try {
      ledger.alerts().raise(s, kind, message);
    } catch (DatabaseException e) {
      log.error("cannot store the alert {}: {}", kind, e.getMessage());
    }
  }

  private static Actor actor(Call call) {
    return new Actor(call.caller().user(), call.caller().roles());
  }

  static ObjectNode part(Part p) {
    return PartView.json(p);
  }

  private static JsonNode certificate(Certificate c) {
    try {
      return Wire.mapper().readTree(c.toJson());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("certificate JSON does not parse: " + e.getMessage(), e);
    }
  }

  /** The body of a request; every expected refusal becomes its exit code. */
  @FunctionalInterface
  interface Body {
    Result run() throws Exception;
  }

  private static Result guarded(Body body) throws OperationException {
    try {
      return body.run();
    } catch (OperationException e) {
      throw e;
    } catch (PartRefused e) {
      ExitCode code =
          e.reason() == PartRefused.Reason.LABEL_INVALID ? ExitCode.USAGE : ExitCode.REFUSED;
      throw new OperationException(code, e.getMessage(), e);
    } catch (TransitionRefused | DeviceRefused e) {
      throw new OperationException(ExitCode.REFUSED, e.getMessage(), e);
    } catch (SanitizeException e) {
      throw new OperationException(ExitCode.DEVICE, e.getMessage(), e);
    } catch (ScanException e) {
      throw new OperationException(
          e.reason().dependencyFailure() ? ExitCode.UNAVAILABLE : ExitCode.REFUSED,
          e.getMessage(),
          e);
    } catch (PartsStoreException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new OperationException(ExitCode.USAGE, e.getMessage(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new OperationException(ExitCode.INTERNAL, e.getMessage(), e);
    }
  }
}
