package io.burnguard.agent.burn;

import io.burnguard.agent.control.Call;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.Outcome;
import io.burnguard.config.StationConfig;
import io.burnguard.config.UntrustedText;
import io.burnguard.drivers.BurnJob;
import io.burnguard.drivers.BurnOutcome;
import io.burnguard.drivers.BurnerDriver;
import io.burnguard.drivers.BurnerDrivers;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.ReadBack;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's device stage: builds the driver's job from the vetted bytes and the model's
 * recipe, runs the driver, and says how it ended. Never throws: once STARTED is recorded every way
 * out (driver failure, unreadable cache, a bug) must end the record FAILED with the reason.
 */
final class DeviceStage {
  private static final Logger log = LoggerFactory.getLogger(DeviceStage.class);

  private final StationConfig config;
  private final Crc32Cache crcs;

  DeviceStage(StationConfig config, Crc32Cache crcs) {
    this.config = config;
    this.crcs = crcs;
  }

  /** Burns and reads back; marks {@code prepare} and {@code driver} on {@code timing}. */
  BurnResult burn(
      Call call, StationConfig.Fixture fx, BurnRecord rec, VettedImage image, BurnTiming timing) {
    BurnOutcome out;
    try {
      BurnerDriver driver = BurnerDrivers.named(fx.driver());
      BurnJob job = job(fx, image);
      timing.mark(BurnTiming.Stage.PREPARE);
      out =
          driver.burn(
              job,
              p -> call.progress(p.phase().name().toLowerCase(Locale.ROOT), p.bytes(), p.total()),
              CancellationToken.create());
    } catch (IOException | RuntimeException e) {
      log.error("burn {} of {} failed outside the driver", rec.id(), rec.request().barcode(), e);
      return new BurnResult(Outcome.FAILED, recorded(BurnMessages.couldNotRun(e)), null, null);
    }
    timing.mark(BurnTiming.Stage.DRIVER);
    String readBack = out.readBack().map(ReadBack::actual).orElse(null);
    if (out.isPassed()) {
      return new BurnResult(Outcome.PASSED, null, readBack, true);
    }
    Boolean match = out.readBack().map(ReadBack::matches).orElse(null);
    return new BurnResult(
        Outcome.FAILED, recorded(out.phase() + ": " + out.reason()), readBack, match);
  }

  /**
   * A driver's failure reason as the ledger records it. Drivers escape what the device printed
   * (uboot: BurnFailure); this is the guard for any driver that does not: a reason holding a
   * control, bidi or format character is escaped whole, a clean one kept as is (issue 12.3).
   */
  static String recorded(String reason) {
    return UntrustedText.problem(reason, MAX_REASON) == null
        ? reason
        : UntrustedText.neutralize(reason, MAX_REASON);
  }

  /** The longest failure reason recorded; a longer one is cut and the cut counted. */
  static final int MAX_REASON = 2000;

  private BurnJob job(StationConfig.Fixture fx, VettedImage image) throws IOException {
    StationConfig.Recipe recipe = config.models().get(fx.model()).recipe();
    Map<String, String> settings = new HashMap<>(fx.settings());
    settings.put("port", fx.port());
    return new BurnJob(
        image.manifest().file(),
        image::open,
        image.manifest().length(),
        image.manifest().sha256(),
        crcs.of(image.manifest(), image::open),
        settings,
        recipe.write(),
        recipe.readBack(),
        recipe.variables());
  }
}
