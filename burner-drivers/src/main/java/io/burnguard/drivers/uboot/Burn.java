package io.burnguard.drivers.uboot;

import io.burnguard.drivers.BurnJob;
import io.burnguard.drivers.BurnProgress;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.DriverEnvironment;
import io.burnguard.drivers.Phase;
import io.burnguard.drivers.ProgressListener;
import io.burnguard.drivers.SettingSpec;
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

  /** A declared setting, or its declared default ("" when it has none). */
  String setting(SettingSpec s) {
    return job.setting(s.name(), s.defaultValue() == null ? "" : s.defaultValue());
  }

  /** A declared number setting, or its declared default. */
  long number(SettingSpec s) throws BurnFailure {
    return Recipe.parseNumber(setting(s), s.name());
  }

  /** A declared seconds setting, or its declared default. */
  Duration seconds(SettingSpec s) throws BurnFailure {
    return Duration.ofSeconds(number(s));
  }

  /** A seconds setting whose default is computed for this burn. */
  Duration seconds(SettingSpec s, long computedDefault) throws BurnFailure {
    String v = job.setting(s.name(), Long.toString(computedDefault));
    return Duration.ofSeconds(Recipe.parseNumber(v, s.name()));
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
