package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Caller;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.fixtures.DriverRule;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.config.ConfigException;
import io.burnguard.config.ConfigProblem;
import io.burnguard.config.StationConfig;
import io.burnguard.config.StationConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code burnguard config reload} and SIGHUP: station.yaml and the trust files it names, applied
 * all at once or not at all.
 *
 * <p>Order, each step refusing with exit 2 and changing nothing: the file is loaded exactly as at
 * daemon start ({@link StationConfigLoader#load} with the built-in drivers' rules, then the start's
 * fixture check), every problem named with file:line; the files it names pass the start's
 * file-trust check ({@link Daemon#unsafeFiles}: owners, modes, no links), else security is also
 * alerted; settings that only a restart can change ({@link ConfigChanges#restartOnly}) are refused
 * by name; the trust files it names (the release root, the CRLs in {@code crlDir}, the server's CA)
 * must load ({@link TrustState}). Then the next generation is built (no disk or network work), the
 * reload is recorded (admin event and audit chain, in one transaction; a reload that cannot be
 * recorded is refused), and only then is the generation swapped in. Refusals are recorded too. One
 * reload runs at a time.
 */
final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  /** Whoever asked: a caller on the socket, or the signal. */
  record Source(Caller caller, String name) {
    static Source of(Caller caller) {
      return new Source(caller, caller.user());
    }

    static Source signal() {
      return new Source(null, "SIGHUP");
    }
  }

  private final Path configFile;
  private final AtomicReference<StationRuntime> current;
  private final LedgerService ledger;
  private final AdminRecords records;

  ConfigReload(
      Path configFile,
      LedgerService ledger,
      AdminEvents events,
      AtomicReference<StationRuntime> current) {
    this.configFile = configFile;
    this.current = current;
    this.ledger = ledger;
    this.records = new AdminRecords(events, ledger);
  }

  /** Reloads now; the result says what changed, or why nothing did. */
  synchronized Result reload(Source source) {
    StationRuntime was = current.get();
    StationConfig next;
    try {
      next = StationConfigLoader.load(configFile, DriverRule.forBuiltInDrivers());
      Daemon.checkDrivers(next, "");
    } catch (ConfigException e) {
      return refused(
          source,
          was,
          "invalid",
          "reload refused, nothing was changed: " + e.getMessage(),
          problems(e.problems()));
    } catch (DaemonException e) {
      return refused(
          source,
          was,
          "invalid",
          "reload refused, nothing was changed: " + e.getMessage(),
          Wire.object());
    }
    Result placement = placementRefusal(source, was, next);
    if (placement != null) {
      return placement;
    }
    TrustState trust;
    try {
      trust = TrustState.load(next, was.clock());
    } catch (TrustState.Unreadable e) {
      return refused(
          source,
          was,
          "trust",
          "reload refused: " + e.getMessage() + "; nothing was changed",
          Wire.object());
    }
    return apply(source, was, was.next(next), trust);
  }

  /**
   * The refusal for files others could change ({@link Daemon#unsafeFiles}, as at start) or for a
   * restart-only change ({@link ConfigChanges#restartOnly}); null when neither applies.
   */
  private Result placementRefusal(Source source, StationRuntime was, StationConfig next) {
    String unsafe = Daemon.unsafeFiles(configFile, next);
    if (unsafe != null) {
      alertUnsafe(unsafe);
      return refused(
          source,
          was,
          "file-trust",
          "reload refused, nothing was changed: " + unsafe,
          Wire.object());
    }
    List<String> restart = ConfigChanges.restartOnly(was.config(), next);
    if (!restart.isEmpty()) {
      ObjectNode data = Wire.object();
      restart.forEach(data.putArray("restartOnly")::add);
      return refused(
          source,
          was,
          "restart-only",
          "reload refused: "
              + configFile
              + " changes "
              + String.join(", ", restart)
              + ", which take effect only when the daemon starts; nothing was changed. Restart"
              + " the service to apply them (systemctl restart burnguard), or undo the change"
              + " and reload again",
          data);
    }
    return null;
  }

  /**
   * Files the daemon would trust that others could have changed: security is told, as the start
   * tells whoever starts it (an alert, beside the refusal's record).
   */
  private void alertUnsafe(String unsafe) {
    try {
      ledger
          .alerts()
          .raise(
              Severity.WARNING, "config-files-untrusted", "a config reload was refused: " + unsafe);
    } catch (DatabaseException e) {
      log.error("cannot raise the alert for unsafe config files: {}", e.getMessage());
    }
  }

  private Result apply(Source source, StationRuntime was, StationRuntime next, TrustState trust) {
    List<String> changes = ConfigChanges.summary(was.config(), next.config());
    List<String> pending = ConfigChanges.pendingRestart(next.started(), next.config());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("by", source.name());
    payload.put("generation", next.generation());
    payload.put("config", trust.configDigest(configFile));
    payload.put("trust", trust.digests());
    payload.put("changes", changes);
    payload.put("pendingRestart", pending);
    String detail =
        "generation "
            + next.generation()
            + ": "
            + (changes.isEmpty() ? "no setting changed" : String.join(", ", changes));
    try {
      records.record(source, "CONFIG_RELOAD", "config.reloaded", detail, payload);
    } catch (DatabaseException e) {
      log.error(
          "config reload by {} not applied: cannot record it: {}", source.name(), e.getMessage());
      return Result.fail(
          ExitCode.UNAVAILABLE,
          "reload refused: it cannot be recorded ("
              + e.getMessage()
              + "); nothing was changed. Fix the database, then reload again");
    }
    current.set(next);
    next.activated(was);
    log.info("config reloaded by {} from {}: {}", source.name(), configFile, detail);
    if (!pending.isEmpty()) {
      log.warn("config reloaded, but these need a restart to take effect: {}", pending);
    }
    return reply(next.generation(), changes, pending);
  }

  /** The answer to an applied reload: what changed, and what waits for a restart. */
  private Result reply(long generation, List<String> changes, List<String> pending) {
    String restart =
        pending.isEmpty()
            ? ""
            : " Only a restart (systemctl restart burnguard) puts these in force: "
                + String.join(", ", pending)
                + ".";
    ObjectNode data = Wire.object();
    data.put("file", configFile.toString());
    data.put("generation", generation);
    changes.forEach(data.putArray("changes")::add);
    pending.forEach(data.putArray("pendingRestart")::add);
    return new Result(
        ExitCode.OK,
        "reloaded "
            + configFile
            + " (generation "
            + generation
            + "): "
            + (changes.isEmpty() ? "no setting changed" : String.join(", ", changes))
            + ". Burns already running finish with the settings they started with."
            + restart,
        data);
  }

  private Result refused(
      Source source, StationRuntime was, String why, String message, ObjectNode data) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("by", source.name());
    payload.put("generation", was.generation());
    payload.put("why", why);
    payload.put("message", message);
    try {
      records.record(source, "CONFIG_RELOAD_REFUSED", "config.reload.refused", message, payload);
    } catch (DatabaseException e) {
      log.error("cannot record a refused config reload by {}: {}", source.name(), e.getMessage());
    }
    log.warn("config reload by {} refused: {}", source.name(), message);
    data.put("file", configFile.toString());
    data.put("generation", was.generation());
    return new Result(ExitCode.USAGE, message, data);
  }

  private static ObjectNode problems(List<ConfigProblem> problems) {
    ObjectNode data = Wire.object();
    ArrayNode arr = data.putArray("problems");
    for (ConfigProblem p : problems) {
      ObjectNode n = arr.addObject();
      n.put("line", p.line());
      n.put("column", p.column());
      n.put("path", p.path());
      n.put("message", p.message());
      n.put("fix", p.fix());
    }
    return data;
  }
}
