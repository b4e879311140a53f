package io.burnguard.drivers.uboot;

import io.burnguard.drivers.BurnJob;
import io.burnguard.drivers.BurnProgress;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.DriverEnvironment;
import io.burnguard.drivers.Phase;
import io.burnguard.drivers.ProgressListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The state of one burn, shared by the driver's steps and its loader. */
final class Burn {
  private static final Logger LOG = LoggerFactory.getLogger(Burn.class);

  final BurnJob job;
  final Recipe recipe;
  final DriverEnvironment env;
  final CancellationToken cancel;
  private final ProgressListener listener;
  UBootConsole console;
  private Phase phase = Phase.PREPARE;
  private long phaseStart;

  Burn(
      BurnJob job,
      Recipe recipe,
      DriverEnvironment env,
      ProgressListener listener,
      CancellationToken cancel) {
    this.job = job;
    this.recipe = recipe;
    this.env = env;
    this.listener = listener;
    this.cancel = cancel;
  }

  void enter(Phase p) throws BurnFailure {
    if (cancel.isCancelled()) {
      throw new BurnFailure(phase, "burn cancelled in " + phase + ": " + cancel.reason());
    }
    phase = p;
    phaseStart = env.clock().millis();
    report(0, 0);
  }

  Phase phase() {
    return phase;
  }

  /** Reports bytes done in the current phase; the rate is the mean since the phase began. */
  void report(long bytes, long total) {
    long ms = Math.max(1, env.clock().millis() - phaseStart);
    try {
      listener.onProgress(new BurnProgress(phase, bytes, total, bytes * 1000.0 / ms));
    } catch (RuntimeException e) {
      LOG.warn("progress listener failed; the burn goes on", e);
    }
  }

  String setting(String key, String def) {
    return job.setting(key, def);
  }

  Duration seconds(String key, long def) throws BurnFailure {
    return Duration.ofSeconds(Recipe.parseNumber(setting(key, Long.toString(def)), key));
  }

  /** Runs a console command in the current phase, mapping failures to this phase. */
  String run(String command, Duration timeout, String hint) throws BurnFailure {
    try {
      return console.run(command, timeout);
    } catch (ConsoleException e) {
      throw BurnFailure.of(phase, e, hint);
    }
  }
}
