package io.burnguard.agent.cli;

import io.burnguard.agent.control.ControlClient;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Live progress on stderr: phase, percent, rate and ETA on one rewritten line when stderr is a
 * terminal, and a line per phase change otherwise (so logs of line scripts stay readable).
 */
final class ProgressPrinter implements ControlClient.Listener {
  private final PrintWriter err;
  private final PrintWriter out;
  private final boolean tty = System.console() != null;
  private String phase = "";
  private long phaseStart;
  private long lastPrint;

  private final boolean streamedText;

  /**
   * @param streamedText whether what the daemon streams to stdout is text for people (escaped
   *     through {@link Terminal}) rather than JSON
   */
  ProgressPrinter(PrintWriter out, PrintWriter err, boolean streamedText) {
    this.out = out;
    this.err = err;
    this.streamedText = streamedText;
  }

  @Override
  public void out(String text) {
    out.print(streamedText ? Terminal.safe(text) : text);
    out.flush();
  }

  @Override
  public void progress(String phaseName, long done, long total) {
    String newPhase = Terminal.safe(phaseName);
    long now = System.nanoTime();
    if (!newPhase.equals(phase)) {
      if (tty && !phase.isEmpty()) {
        err.println();
      }
      phase = newPhase;
      phaseStart = now;
      if (!tty) {
        err.println(newPhase + " ...");
        err.flush();
      }
    }
    if (!tty || (now - lastPrint < 200_000_000L && done < total)) {
      return;
    }
    lastPrint = now;
    err.print("\r" + line(phase, done, total, (now - phaseStart) / 1e9));
    err.flush();
  }

  static String line(String phase, long done, long total, double seconds) {
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-10s", phase));
    if (total > 0) {
      b.append(String.format(Locale.ROOT, " %3d%%", Math.min(100, done * 100 / total)));
    }
    b.append(String.format(Locale.ROOT, " %s/s", human(rate)));
    if (total > 0 && rate > 0 && done < total) {
      b.append(String.format(Locale.ROOT, " ETA %ds", (long) ((total - done) / rate)));
    }
    return b.toString();
  }

  static String human(double bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB"};
    int i = 0;
    while (bytes >= 1024 && i < units.length - 1) {
      bytes /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", bytes, units[i]);
  }

  @Override
  public void info(String message) {
    if (tty && !phase.isEmpty()) {
      err.println();
    }
    err.println(Terminal.safe(message));
    err.flush();
  }
}
