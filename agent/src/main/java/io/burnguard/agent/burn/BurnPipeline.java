package io.burnguard.agent.burn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Call;
import io.burnguard.agent.control.OperationException;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.ledger.Outcome;
import io.burnguard.agent.orders.WorkOrder;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.ScanException;
import io.burnguard.agent.scan.ScanVerdict;
import io.burnguard.config.Role;
import io.burnguard.config.StationConfig;
import java.util.function.LongSupplier;

/**
 * {@code burnguard burn}: the one path from barcode to verified flash (docs/architecture.md, "The
 * burn pipeline"). {@link #burn} shows every stage in order:
 *
 * <pre>
 * fixture held -> order + barcode pre-check -> vetted release (re-verified now, withdrawal list
 *   fresh) -> scan verdict for the CURRENT clamd database -> ledger STARTED (durable, reserves the
 *   unit) -> driver burn from the vetted bytes, read-back compared -> ledger PASSED | FAILED
 * </pre>
 *
 * <p>Failure handling: nothing touches the device before STARTED is committed. Once it is, every
 * way out (driver failure, unreadable cache, a bug) ends the record FAILED with the reason; a crash
 * leaves it STARTED, and the next daemon start turns it INTERRUPTED. A refusal after the order
 * check, and a "fixture busy" refusal, is chained as {@code burn.refused}. A client that goes away
 * (Ctrl-C) does not stop the burn: it finishes and is recorded. One burn per fixture at a time;
 * fixtures burn in parallel.
 *
 * <p>Each stage lives in its own class: {@link FixtureLocks}, {@link OrderCheck}, {@link
 * VettedImages} (the daemon's vetting), {@link ImageScanner}, {@link BurnRecorder}, {@link
 * DeviceStage} (with the per-image {@link Crc32Cache}); {@link BurnTiming} goes along to time them
 * and {@link BurnMessages} holds what the operator reads.
 */
public final class BurnPipeline {
  private final StationConfig config;
  private final VettedImages images;
  private final ImageScanner scanner;
  private final FixtureLocks fixtures;
  private final Crc32Cache crcs;
  private final LedgerService ledger;
  private final OrderCheck orders;
  private final BurnRecorder recorder;
  private final DeviceStage devices;
  private final LongSupplier nanoTime;

  /**
   * The pipeline of a station.
   *
   * @param images where vetted releases come from (the daemon's firmware handler)
   * @param scanner the clamd scanner whose verdict must hold for the current database
   */
  public BurnPipeline(
      StationConfig config, LedgerService ledger, VettedImages images, ImageScanner scanner) {
    this(config, ledger, images, scanner, new FixtureLocks(), new Crc32Cache());
  }

  private BurnPipeline(
      StationConfig config,
      LedgerService ledger,
      VettedImages images,
      ImageScanner scanner,
      FixtureLocks fixtures,
      Crc32Cache crcs) {
    this.config = config;
    this.ledger = ledger;
    this.images = images;
    this.scanner = scanner;
    this.fixtures = fixtures;
    this.crcs = crcs;
    this.orders = new OrderCheck(ledger, config.station().id());
    this.recorder = new BurnRecorder(ledger, config.station().id());
    this.devices = new DeviceStage(config, crcs);
    this.nanoTime = System::nanoTime;
  }

  /**
   * The pipeline of a reloaded station.yaml: new settings, fixtures, models and vetting, but the
   * same fixture locks and CRC32 cache, so a burn still running in this pipeline and a new burn in
   * the returned one never hold one fixture at once. This pipeline stays usable for the burns that
   * already started in it: they finish with the settings they started with.
   */
  public BurnPipeline reconfigured(
      StationConfig config, VettedImages images, ImageScanner scanner) {
    return new BurnPipeline(config, ledger, images, scanner, fixtures, crcs);
  }

  /** The fixture locks (tests: shared across generations). */
  FixtureLocks fixtureLocks() {
    return fixtures;
  }

  /**
   * Burns one unit; the result carries the record and, when the driver ran, the stage times.
   *
   * @throws OperationException a refusal or failure before the device was touched, or a result that
   *     could not be recorded
   */
  public Result burn(Call call, BurnArguments args) throws OperationException {
    StationConfig.Fixture fx = fixture(args.fixture());
    BurnTiming timing = BurnTiming.start(nanoTime);
    FixtureLocks.Held held;
    try {
      held = fixtures.hold(fx);
    } catch (OperationException busy) {
      recorder.busy(call, fx, args, busy);
      throw busy;
    }
    try (held) {
      call.progress("check", 0, -1);
      WorkOrder order = orders.admissible(call, fx, args);
      timing.mark(BurnTiming.Stage.ORDER);
      try {
        VettedImage image = vet(call, fx, order);
        timing.mark(BurnTiming.Stage.VET);
        ScanVerdict verdict = scan(call, image);
        timing.mark(BurnTiming.Stage.SCAN);
        BurnRecord started = recorder.start(call, fx, args, order, image, verdict);
        timing.mark(BurnTiming.Stage.STARTED);
        BurnResult device = devices.burn(call, fx, started, image, timing);
        BurnRecord done = recorder.finish(started, device);
        timing.mark(BurnTiming.Stage.FINISHED);
        return timing.addTo(result(done, device));
      } catch (OperationException e) {
        recorder.refused(call, fx, args.barcode(), order, e);
        throw e;
      }
    }
  }

  private StationConfig.Fixture fixture(String id) throws OperationException {
    for (StationConfig.Fixture f : config.fixtures()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    throw BurnMessages.noSuchFixture(id, config.fixtures());
  }

  /** Vetting: an engineer's burn may fetch a release not yet on the station. */
  private VettedImage vet(Call call, StationConfig.Fixture fx, WorkOrder order)
      throws OperationException {
    return images.forBurn(
        call,
        order.spec().firmwareName(),
        order.spec().firmwareVersion(),
        fx.model(),
        call.caller().roles().contains(Role.ENGINEER));
  }

  /** Scanning: a verdict made under the current clamd database, else a scan now. */
  private ScanVerdict scan(Call call, VettedImage image) throws OperationException {
    call.progress("scan", 0, image.manifest().length());
    try {
      return scanner.requireClean(
          image.manifest().sha256(),
          image::open,
          image.manifest().name() + " " + image.manifest().version());
    } catch (ScanException e) {
      throw BurnMessages.scan(e);
    }
  }

  private static Result result(BurnRecord done, BurnResult device) {
    ObjectNode data = Wire.mapper().valueToTree(done.toMap());
    if (device.outcome() == Outcome.PASSED) {
      return new Result(ExitCode.OK, BurnMessages.passed(done, device.readbackDigest()), data);
    }
    return new Result(ExitCode.DEVICE, BurnMessages.failed(done, device.failureReason()), data);
  }
}
