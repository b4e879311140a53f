package io.burnguard.agent.daemon;

import io.burnguard.agent.burn.BurnPipeline;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Handler;
import io.burnguard.agent.control.Routes;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.scan.ClamdAddress;
import io.burnguard.agent.scan.ClamdClient;
import io.burnguard.agent.scan.ClamdSettings;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.ScanAlerts;
import io.burnguard.agent.scan.ScanPolicy;
import io.burnguard.agent.vetting.cache.ImageCache;
import io.burnguard.config.StationConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration generation of the daemon: everything built from one station.yaml, immutable
 * once built (docs/architecture.md, "Configuration generations").
 *
 * <p>Design: the daemon holds the current generation in an {@code AtomicReference}; the control
 * server takes it once when a connection starts ({@link #routes()}: roles and handlers of the same
 * generation), and the handler then uses only that generation's objects. A reload builds the next
 * generation with {@link #next} and swaps it in one step, so no request ever sees half of a reload,
 * and a burn that started in the old generation finishes with the settings it started with.
 *
 * <p>What must survive a reload is carried over, not rebuilt: the database, ledger and audit chain
 * (held by the daemon), the encrypted image cache, release catalog and fetch lock ({@link
 * FirmwareOps#reconfigured}), the fixture locks and CRC32 cache ({@link
 * BurnPipeline#reconfigured}), the scanner when the {@code scanner} section did not change, and the
 * control socket. Settings that those carried parts were built from cannot change without a restart
 * ({@link ConfigReload}).
 */
final class StationRuntime {
  /** The handlers of a generation, bound to that generation's objects. */
  @FunctionalInterface
  interface HandlerTable {
    Map<Operation, Handler> of(StationRuntime runtime);
  }

  private final long generation;
  private final StationConfig config;
  private final StationConfig started;
  private final ClamdClient clamd;
  private final ScanPolicy scanPolicy;
  private final ImageScanner scanner;
  private final FirmwareOps firmware;
  private final OrderOps orders;
  private final BurnOps burns;
  private final BurnPipeline pipeline;
  private final Database db;
  private final LedgerService ledger;
  private final Clock clock;
  private final ScanAlerts scanAlerts;
  private final HandlerTable table;
  private final Routes routes;

  private StationRuntime(
      long generation,
      StationConfig config,
      Scanning scanning,
      FirmwareOps firmware,
      BurnPipeline pipeline,
      Carried carried) {
    this.generation = generation;
    this.config = config;
    this.clamd = scanning.clamd();
    this.scanPolicy = scanning.policy();
    this.scanner = scanning.scanner();
    this.firmware = firmware;
    this.pipeline = pipeline;
    this.started = carried.started();
    this.db = carried.db();
    this.ledger = carried.ledger();
    this.clock = carried.clock();
    this.scanAlerts = carried.alerts();
    this.table = carried.table();
    this.orders = new OrderOps(config, ledger);
    this.burns = new BurnOps(pipeline, ledger);
    // Last: every field is set before the handlers are bound to this generation.
    this.routes = new Routes(config.roles(), table.of(this));
  }

  /**
   * The parts every generation shares; {@code started} is the configuration the daemon started
   * with, which the parts built once at start still use ({@link ConfigChanges#pendingRestart}).
   */
  private record Carried(
      StationConfig started,
      Database db,
      LedgerService ledger,
      Clock clock,
      ScanAlerts alerts,
      HandlerTable table) {}

  /** clamd, its freshness policy and the scanner built on them. */
  private record Scanning(ClamdClient clamd, ScanPolicy policy, ImageScanner scanner) {}

  /**
   * The first generation, at daemon start: opens the image cache in {@code station.dataDir}.
   *
   * @param alerts where the scanner raises its alerts
   */
  static StationRuntime first(
      StationConfig config,
      Database db,
      Clock clock,
      LedgerService ledger,
      ScanAlerts alerts,
      HandlerTable table)
      throws IOException {
    Carried carried = new Carried(config, db, ledger, clock, alerts, table);
    ImageCache cache = FirmwareOps.openCache(config, clock);
    Scanning scanning = scanning(config, db, clock, alerts, cache);
    FirmwareOps firmware =
        new FirmwareOps(config, db, clock, scanning.scanner(), cache, RefreshCheck.alerts(ledger));
    BurnPipeline pipeline =
        new BurnPipeline(config, ledger, firmware::vettedForBurn, scanning.scanner());
    return new StationRuntime(1, config, scanning, firmware, pipeline, carried);
  }

  /**
   * The next generation, from a reloaded station.yaml whose restart-only settings are unchanged.
   * Nothing here touches the disk or the network: a reload cannot fail half-way.
   */
  StationRuntime next(StationConfig newConfig) {
    Scanning scanning =
        Objects.equals(newConfig.scanner(), config.scanner())
            ? new Scanning(clamd, scanPolicy, scanner)
            : scanning(newConfig, db, clock, scanAlerts, firmware.cache());
    FirmwareOps nextFirmware = firmware.reconfigured(newConfig, scanning.scanner());
    BurnPipeline nextPipeline =
        pipeline.reconfigured(newConfig, nextFirmware::vettedForBurn, scanning.scanner());
    return new StationRuntime(
        generation + 1,
        newConfig,
        scanning,
        nextFirmware,
        nextPipeline,
        new Carried(started, db, ledger, clock, scanAlerts, table));
  }

  /**
   * Called once this generation is in force (after a reload's swap, never for a refused one): the
   * daemon-wide parts built with the first generation take their settings from this one. The trust
   * refresher gets this generation's settings, and is asked for a pass at once when the server or
   * trust settings changed.
   */
  void activated(StationRuntime previous) {
    boolean material =
        !Objects.equals(previous.config.trust(), config.trust())
            || !Objects.equals(previous.config.server(), config.server());
    firmware.refresher().reconfigure(firmware.refresherSettings(), material);
  }

  /**
   * The fetcher deletes an infected image itself; the quarantine hook removes any older cached copy
   * of an image that new signatures found infected.
   */
  private static Scanning scanning(
      StationConfig config, Database db, Clock clock, ScanAlerts alerts, ImageCache cache) {
    StationConfig.Scanner sc = config.scanner();
    ClamdClient clamd =
        new ClamdClient(
            ClamdSettings.of(ClamdAddress.parse(sc.clamd()))
                .withTimeouts(sc.connectTimeout(), sc.readTimeout(), sc.scanTimeout()));
    ScanPolicy policy =
        new ScanPolicy(sc.maxDatabaseAge(), sc.allowUndatedDatabase(), sc.databaseDir());
    return new Scanning(
        clamd,
        policy,
        new ImageScanner(clamd, db, policy, clock, alerts, (sha, signature) -> cache.remove(sha)));
  }

  /** 1 for the configuration the daemon started with, one more for each reload. */
  long generation() {
    return generation;
  }

  StationConfig config() {
    return config;
  }

  /** The configuration the daemon started with (generation 1's). */
  StationConfig started() {
    return started;
  }

  Clock clock() {
    return clock;
  }

  ClamdClient clamd() {
    return clamd;
  }

  ScanPolicy scanPolicy() {
    return scanPolicy;
  }

  FirmwareOps firmware() {
    return firmware;
  }

  OrderOps orders() {
    return orders;
  }

  BurnOps burns() {
    return burns;
  }

  /** The roles and handlers of this generation, for the control server. */
  Routes routes() {
    return routes;
  }
}
