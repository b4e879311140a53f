package io.burnguard.agent.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-phase timing of one CLI run, printed to stderr when {@code BURNGUARD_TIMING} is set (issue
 * 17): where the time between the launcher and the exit goes. The launcher passes its own start as
 * {@code -Dburnguard.launch.ns} (epoch nanoseconds) in that case, so the first phase is the JVM's
 * start up to {@code main}. Each later phase also shows the main thread's CPU time, which a loaded
 * machine inflates far less than the wall time. Off (the default) it costs one environment lookup
 * and a few branches.
 */
final class Timing {
  private static final boolean ON = isSet(System.getenv("BURNGUARD_TIMING"));
  private static final List<String> NAMES = new ArrayList<>();
  private static final List<Long> NANOS = new ArrayList<>();
  private static final List<Long> CPU = new ArrayList<>();
  private static long launchEpochNanos = -1;

  private Timing() {}

  /** True when timings are printed. */
  static boolean on() {
    return ON;
  }

  /** Called first in {@code main}: the end of the JVM's start. */
  static void started() {
    if (!ON) {
      return;
    }
    Instant now = Instant.now();
    long nowNanos = System.nanoTime();
    String launch = System.getProperty("burnguard.launch.ns", "");
    if (!launch.isEmpty()) {
      try {
        long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        launchEpochNanos = nowNanos - (epochNanos - Long.parseLong(launch));
      } catch (NumberFormatException e) {
        launchEpochNanos = -1;
      }
    }
    mark("launcher and jvm start to main");
    // The management classes load in the line above, only in this mode: their time is a phase of
    // its own, so that it is not taken for the command's, and the CPU of later phases starts here.
    CPU.set(0, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
    mark("timing's own set-up (timing only)");
  }

  /** Ends the phase {@code name} now. */
  static void mark(String name) {
    if (ON) {
      NAMES.add(name);
      NANOS.add(System.nanoTime());
      CPU.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
    }
  }

  /** Prints the phases to stderr (UTF-8), one per line, then the total. */
  static void print() {
    if (!ON || NANOS.isEmpty()) {
      return;
    }
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    long start = launchEpochNanos >= 0 ? launchEpochNanos : NANOS.get(0);
    long prev = start;
    for (int i = 0; i < NANOS.size(); i++) {
      if (i == 0 && launchEpochNanos < 0) {
        err.println(
            "burnguard timing: launcher and jvm start to main: unknown (run through the launcher)");
        continue;
      }
      long cpu = i == 0 ? -1 : CPU.get(i) - CPU.get(i - 1);
      err.println(line(NAMES.get(i), NANOS.get(i) - prev, cpu));
      prev = NANOS.get(i);
    }
    err.println(line("total until exit", prev - start, CPU.get(CPU.size() - 1) - CPU.get(0)));
  }

  /** One phase: wall time, and the main thread's CPU time (unknown before main: -1). */
  static String line(String phase, long nanos, long cpuNanos) {
    String cpu = cpuNanos < 0 ? "" : String.format(Locale.ROOT, "  (cpu %6.1f ms)", cpuNanos / 1e6);
    return String.format(
        Locale.ROOT, "burnguard timing: %-32s %8.1f ms%s", phase + ":", nanos / 1e6, cpu);
  }

  private static boolean isSet(String value) {
    return value != null && !value.isEmpty() && !value.equals("0");
  }
}
