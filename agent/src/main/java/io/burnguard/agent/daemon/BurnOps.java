package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ledger.Outcome;
import io.burnguard.agent.orders.WorkOrder;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.scan.ScanVerdict;
import io.burnguard.config.Role;
import io.burnguard.config.StationConfig;
import io.burnguard.drivers.BurnJob;
import io.burnguard.drivers.BurnOutcome;
import io.burnguard.drivers.BurnerDriver;
import io.burnguard.drivers.BurnerDrivers;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.ReadBack;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code burnguard burn}: the one path from barcode to verified flash (docs/architecture.md, "The
 * burn pipeline").
 *
 * <pre>
 * order + barcode pre-check -> vetted release (re-verified now, withdrawal list fresh)
 *   -> scan verdict for the CURRENT clamd database -> ledger STARTED (durable, reserves the unit)
 *   -> driver burn from the vetted bytes -> read-back compared -> ledger PASSED | FAILED
 * </pre>
 *
 * <p>Failure handling: nothing touches the device before STARTED is committed. Once it is, every
 * way out (driver failure, unreadable cache, a bug) ends the record FAILED with the reason; a crash
 * leaves it STARTED, and the next daemon start turns it INTERRUPTED. A client that goes away
 * (Ctrl-C) does not stop the burn: it finishes and is recorded. One burn per fixture at a time;
 * fixtures burn in parallel.
 */
final class BurnOps {
  private static final Logger log = LoggerFactory.getLogger(BurnOps.class);

  private final StationConfig config;
  private final LedgerService ledger;
  private final FirmwareOps firmware;
  private final ImageScanner scanner;
  private final Map<String, ReentrantLock> fixtureLocks = new ConcurrentHashMap<>();
  private final Map<String, Long> crcBySha = new ConcurrentHashMap<>();

  /** Stage times of the burn this thread is running (ms, in order), for the overhead figure. */
  private final ThreadLocal<Map<String, Double>> stages =
      ThreadLocal.withInitial(java.util.LinkedHashMap::new);

  private final ThreadLocal<long[]> stageStart = ThreadLocal.withInitial(() -> new long[1]);

  /** Closes the stage that ran since the previous mark. */
  private void mark(String stage) {
    long now = System.nanoTime();
    long[] last = stageStart.get();
    if (last[0] != 0) {
      stages.get().merge(stage, (now - last[0]) / 1e6, Double::sum);
    }
    last[0] = now;
  }

  BurnOps(StationConfig config, LedgerService ledger, FirmwareOps firmware, ImageScanner scanner) {
    this.config = config;
    this.ledger = ledger;
    this.firmware = firmware;
    this.scanner = scanner;
  }

  Result burn(Call call) throws OperationException {
    StationConfig.Fixture fx = fixture(call.text("fixture"));
    String barcode = call.text("barcode");
    JsonNode a = call.args();
    String orderId = a.hasNonNull("order") ? a.get("order").asText() : null;
    String rework = a.hasNonNull("reworkReason") ? a.get("reworkReason").asText() : null;
    long t0 = System.nanoTime();
    stages.get().clear();
    stageStart.get()[0] = t0;
    ReentrantLock lock = fixtureLocks.computeIfAbsent(fx.id(), k -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw new OperationException(
          ExitCode.DEVICE,
          "fixture "
              + fx.id()
              + " is busy burning another unit; wait for its result, then scan"
              + " this unit again");
    }
    try {
      call.progress("check", 0, -1);
      WorkOrder order = order(call, orderId, fx, barcode, rework);
      mark("order");
      try {
        Result r = vetScanAndBurn(call, fx, barcode, order, rework);
        return withTiming(r, System.nanoTime() - t0);
      } catch (OperationException e) {
        recordRefusal(call, fx, barcode, order, e);
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private Result vetScanAndBurn(
      Call call, StationConfig.Fixture fx, String barcode, WorkOrder order, String rework)
      throws OperationException {
    {
      FirmwareOps.Vetted vetted =
          firmware.vettedForBurn(
              call,
              order.spec().firmwareName(),
              order.spec().firmwareVersion(),
              fx.model(),
              call.caller().roles().contains(Role.ENGINEER));
      mark("vet");
      String sha = vetted.manifest().sha256();
      call.progress("scan", 0, vetted.manifest().length());
      ScanVerdict verdict = scan(vetted, sha);
      mark("scan");
      BurnRecord rec = start(call, fx, barcode, order, vetted, verdict, rework);
      mark("started");
      return drive(call, fx, rec, vetted);
    }
  }

  /**
   * The CRC32 the device's read-back is compared with. The manifest carries length and SHA-256; the
   * CRC32 of the same vetted bytes is computed once per image and remembered, so a burn does not
   * pay a second full read of the image before the transfer. Safe because every read for the device
   * comes through {@code openForBurn}, which re-checks the SHA-256 at its end: bytes that changed
   * in the cache fail the transfer, and could not match this CRC32 on read-back anyway.
   */
  private long crc32Of(FirmwareOps.Vetted vetted) throws IOException {
    String sha = vetted.manifest().sha256();
    Long known = crcBySha.get(sha);
    if (known != null) {
      return known;
    }
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    long n = 0;
    try (java.io.InputStream in = vetted.cache().openForBurn(vetted.manifest())) {
      byte[] buf = new byte[1 << 16];
      for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
        crc.update(buf, 0, r);
        n += r;
      }
    }
    if (n != vetted.manifest().length()) {
      throw new IOException(
          "the cached image has " + n + " bytes, the manifest says " + vetted.manifest().length());
    }
    crcBySha.put(sha, crc.getValue());
    return crc.getValue();
  }

  /**
   * Adds {@code timing}: the daemon's whole pipeline time, the driver's own transfer + write +
   * read-back time, and the difference, which is what BurnGuard adds to a burn (BENCHMARKS.md).
   */
  private Result withTiming(Result r, long pipelineNanos) {
    Map<String, Double> st = new java.util.LinkedHashMap<>(stages.get());
    stages.remove();
    stageStart.remove();
    Double driver = st.get("driver");
    if (driver == null || !(r.data() instanceof ObjectNode data)) {
      return r;
    }
    ObjectNode t = data.putObject("timing");
    t.put("pipelineMillis", pipelineNanos / 1e6);
    t.put("driverMillis", driver);
    t.put("overheadMillis", pipelineNanos / 1e6 - driver);
    ObjectNode byStage = t.putObject("stagesMillis");
    st.forEach(byStage::put);
    return r;
  }

  /**
   * Refusals after the order check (release not vetted, withdrawn, scan) are chained like the
   * ledger's own, so every refused burn is on the record. Refusals from the ledger itself (at
   * STARTED) are already chained there.
   */
  private void recordRefusal(
      Call call, StationConfig.Fixture fx, String barcode, WorkOrder order, OperationException e) {
    if (e.getCause() instanceof WorkOrderRefusal) {
      return;
    }
    try {
      ledger
          .chain()
          .write(
              c -> {
                Map<String, Object> p = new java.util.LinkedHashMap<>();
                p.put("barcode", barcode);
                p.put("model", fx.model());
                p.put("fixture", fx.id());
                p.put("workOrder", order.spec().id());
                p.put("operator", call.caller().user());
                p.put("station", config.station().id());
                p.put("exit", e.exit().code());
                p.put("message", e.getMessage());
                ledger.chain().append(c, "burn.refused", "orders/" + order.spec().id(), p);
                return null;
              });
    } catch (DatabaseException dbe) {
      log.error("cannot record the refused burn of {}: {}", barcode, dbe.getMessage());
    }
  }

  private StationConfig.Fixture fixture(String id) throws OperationException {
    for (StationConfig.Fixture f : config.fixtures()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    List<String> known = config.fixtures().stream().map(StationConfig.Fixture::id).toList();
    throw new OperationException(
        ExitCode.USAGE,
        "there is no fixture \"" + id + "\" on this station; known: " + String.join(", ", known));
  }

  /**
   * The order the unit would burn under, checked early so an operator hears "no open order" or "bad
   * barcode" at once. The authoritative check runs again inside the STARTED transaction.
   */
  private WorkOrder order(
      Call call, String orderId, StationConfig.Fixture fx, String barcode, String rework)
      throws OperationException {
    Map<String, Object> context =
        Map.of(
            "fixture", fx.id(), "operator", call.caller().user(), "station", config.station().id());
    try {
      List<WorkOrder> candidates =
          ledger.listOrders(true).stream()
              .filter(
                  o ->
                      orderId == null
                          ? o.spec().model().equals(fx.model())
                          : o.spec().id().equals(orderId))
              .toList();
      if (candidates.size() != 1) {
        // No single open order: the ledger names (and records) the precise refusal.
        ledger.precheck(barcode, fx.model(), orderId, "", "", rework, context);
        throw new OperationException(
            ExitCode.REFUSED, "refused: no open work order for model " + fx.model());
      }
      WorkOrder o = candidates.get(0);
      ledger.precheck(
          barcode,
          fx.model(),
          o.spec().id(),
          o.spec().firmwareName(),
          o.spec().firmwareVersion(),
          rework,
          context);
      return o;
    } catch (WorkOrderRefusal e) {
      throw new OperationException(ExitCode.REFUSED, "refused: " + e.getMessage(), e);
    } catch (DatabaseException e) {
      throw new OperationException(ExitCode.UNAVAILABLE, e.getMessage(), e);
    }
  }

  private ScanVerdict scan(FirmwareOps.Vetted vetted, String sha) throws OperationException {
    try {
      return scanner.requireClean(
          sha,
          () -> vetted.cache().openForBurn(vetted.manifest()),
          vetted.manifest().name() + " " + vetted.manifest().version());
    } catch (ScanException e) {
      throw new OperationException(
          e.reason().dependencyFailure() ? ExitCode.UNAVAILABLE : ExitCode.REFUSED,
          "scan: " + e.getMessage(),
          e);
    }
  }

  private BurnRecord start(
      Call call,
      StationConfig.Fixture fx,
      String barcode,
      WorkOrder order,
      FirmwareOps.Vetted vetted,
      ScanVerdict verdict,
      String rework)
      throws OperationException {
    BurnRequest req =
        new BurnRequest(
            barcode,
            fx.model(),
            order.spec().id(),
            fx.id(),
            fx.port(),
            fx.driver(),
            vetted.manifest().name(),
            vetted.manifest().version(),
            vetted.manifest().sha256(),
            vetted.signers(),
            verdict.signature() == null ? "clean" : "infected: " + verdict.signature(),
            verdict.clamdVersion() + "/" + verdict.dbVersion(),
            call.caller().user(),
            config.station().id(),
            rework);
    try {
      return ledger.startBurn(req);
    } catch (WorkOrderRefusal e) {
      throw new OperationException(ExitCode.REFUSED, "refused: " + e.getMessage(), e);
    } catch (DatabaseException e) {
      throw new OperationException(
          ExitCode.UNAVAILABLE,
          "the burn cannot be recorded, so it is not started: " + e.getMessage(),
          e);
    }
  }

  private Result drive(
      Call call, StationConfig.Fixture fx, BurnRecord rec, FirmwareOps.Vetted vetted)
      throws OperationException {
    BurnOutcome out;
    try {
      BurnerDriver driver = BurnerDrivers.named(fx.driver());
      StationConfig.Recipe recipe = config.models().get(fx.model()).recipe();
      Map<String, String> settings = new HashMap<>(fx.settings());
      settings.put("port", fx.port());
      long crc32 = crc32Of(vetted);
      BurnJob job =
          new BurnJob(
              vetted.manifest().file(),
              () -> vetted.cache().openForBurn(vetted.manifest()),
              vetted.manifest().length(),
              vetted.manifest().sha256(),
              crc32,
              settings,
              recipe.write(),
              recipe.readBack(),
              recipe.variables());
      mark("prepare");
      out =
          driver.burn(
              job,
              p ->
                  call.progress(
                      p.phase().name().toLowerCase(java.util.Locale.ROOT), p.bytes(), p.total()),
              CancellationToken.create());
    } catch (IOException | RuntimeException e) {
      log.error("burn {} of {} failed outside the driver", rec.id(), rec.request().barcode(), e);
      return finish(rec, Outcome.FAILED, "the burn could not run: " + e.getMessage(), null, null);
    }
    mark("driver");
    String readBack = out.readBack().map(ReadBack::actual).orElse(null);
    Boolean match = out.readBack().map(ReadBack::matches).orElse(null);
    if (out.isPassed()) {
      return finish(rec, Outcome.PASSED, null, readBack, true);
    }
    return finish(rec, Outcome.FAILED, out.phase() + ": " + out.reason(), readBack, match);
  }

  private Result finish(
      BurnRecord rec, Outcome outcome, String reason, String readBack, Boolean match)
      throws OperationException {
    BurnRecord done;
    try {
      done = ledger.finishBurn(rec.id(), new BurnResult(outcome, reason, readBack, match));
      mark("finished");
    } catch (DatabaseException e) {
      throw new OperationException(
          ExitCode.UNAVAILABLE,
          "the burn of "
              + rec.request().barcode()
              + " ended "
              + outcome
              + " but the result could"
              + " not be recorded ("
              + e.getMessage()
              + "); it will show as INTERRUPTED",
          e);
    }
    ObjectNode data = Wire.mapper().valueToTree(done.toMap());
    String unit = rec.request().barcode();
    if (outcome == Outcome.PASSED) {
      return new Result(
          ExitCode.OK,
          "PASS  "
              + unit
              + "  "
              + rec.request().firmwareName()
              + " "
              + rec.request().firmwareVersion()
              + " flashed and verified (read-back "
              + readBack
              + ")",
          data);
    }
    return new Result(ExitCode.DEVICE, "FAIL  " + unit + "  " + reason, data);
  }
}
