package io.burnguard.drivers.bench;

import io.burnguard.drivers.BurnOutcome;
import io.burnguard.drivers.BurnerDrivers;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.ProgressListener;
import io.burnguard.drivers.testing.BoardRecipes;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Issue 7 benchmark: U-Boot drivers against their peers, on real U-Boot boards under QEMU.
 *
 * <ol>
 *   <li>YMODEM, 1 MiB into {@code loady}: ours vs {@code sz --ymodem} (and {@code -k}).
 *   <li>TFTP, 16 MiB {@code tftpboot} over the board's tap: ours vs tftpd-hpa, with U-Boot asking
 *       for blksize 1468 and windowsize 16, then for windowsize 1.
 *   <li>Full uboot-tftp burns of 16 MiB (transfer, virtio write, read-back): one board alone vs two
 *       boards at once (wall time). The second board is paused (QMP stop) while the first burns
 *       alone, so "alone" means one QEMU using the CPU.
 * </ol>
 *
 * Every side runs on the same board in the same run, interleaved round by round (the first side
 * alternates), after one warm-up round that is not counted. Run: {@code bench/drivers/run.sh
 * [YMODEM_ROUNDS=3] [TFTP_ROUNDS=5] [PARALLEL_ROUNDS=5]} (0 skips a part). Needs root (tap, network
 * namespace).
 */
public final class UBootBench {
  private static final int TFTP_IMAGE = 16 << 20;

  private UBootBench() {}

  public static void main(String[] args) throws Exception {
    int ymodemRounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int tftpRounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int parallelRounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path work = Files.createTempDirectory("bg-drivers-bench");
    say("machine: %s, %d cpus, load %s", cpu(), Runtime.getRuntime().availableProcessors(), load());
    try (QemuUBootBoard a =
            QemuUBootBoard.start(work, QemuUBootBoard.Options.tftp(TFTP_IMAGE + (1 << 20)));
        QemuUBootBoard b =
            QemuUBootBoard.start(work, QemuUBootBoard.Options.tftp(TFTP_IMAGE + (1 << 20)))) {
      // On Ctrl-C the try-with-resources does not run: kill what this JVM started (QEMU,
      // in.tftpd, sz) by PID and delete the namespaces.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                    a.close();
                    b.close();
                  }));
      a.powerOn();
      b.powerOn();
      BenchBoard ba = new BenchBoard(a);
      BenchBoard bb = new BenchBoard(b);
      say("u-boot: %s", ba.run("version", 10).lines().findFirst().orElse("?").trim());
      bb.console(); // stop B's autoboot, then park it
      bb.release();
      b.pause();
      if (ymodemRounds > 0) {
        ymodem(ba, work, ymodemRounds);
      }
      if (tftpRounds > 0) {
        tftp(ba, work, tftpRounds);
      }
      ba.release();
      if (parallelRounds > 0) {
        parallel(a, b, parallelRounds);
      }
    }
    say("load at the end: %s", load());
  }

  private static void ymodem(BenchBoard board, Path work, int rounds) throws Exception {
    byte[] image = BoardRecipes.randomImage(1 << 20, 70);
    YmodemVsSz y = new YmodemVsSz(board, work, image);
    YmodemVsSz.Sender[] senders = YmodemVsSz.Sender.values();
    List<List<Double>> t = new ArrayList<>();
    for (YmodemVsSz.Sender s : senders) {
      t.add(new ArrayList<>());
    }
    for (int r = 0; r <= rounds; r++) {
      for (int k = 0; k < senders.length; k++) {
        int i = (k + r) % senders.length;
        double s = y.transfer(senders[i]);
        say("ymodem round %d %-28s %7.2f s", r, senders[i].label, s);
        if (r > 0) {
          t.get(i).add(s);
        }
      }
    }
    double ours = BenchBoard.median(t.get(0));
    say("");
    say("| YMODEM 1 MiB into loady | median s (range) | KiB/s | ratio its s / ours s |");
    say("|---|---|---|---|");
    for (int i = 0; i < senders.length; i++) {
      double m = BenchBoard.median(t.get(i));
      say(
          "| %s | %.2f (%s) | %.1f | %.2f |",
          senders[i].label, m, BenchBoard.range(t.get(i)), 1024 / m, m / ours);
    }
    say("");
  }

  private static void tftp(BenchBoard board, Path work, int rounds) throws Exception {
    TftpVsHpa t = new TftpVsHpa(board, work, BoardRecipes.randomImage(TFTP_IMAGE, 71));
    say(
        "| TFTP 16 MiB tftpboot (what U-Boot asks) | ours median s (range) | tftpd-hpa median s (range) | ratio hpa s / ours s |");
    say("|---|---|---|---|");
    for (int window : new int[] {16, 1}) {
      t.clientAsks(1468, window);
      List<Double> ours = new ArrayList<>();
      List<Double> hpa = new ArrayList<>();
      for (int r = 0; r <= rounds; r++) {
        for (int k = 0; k < 2; k++) {
          boolean oursNow = (k + r) % 2 == 0;
          TftpVsHpa.Run run = oursNow ? t.ours(1468, window) : t.hpa();
          System.err.printf(
              Locale.ROOT,
              "tftp ws=%d round %d %s %.3f s (%s)%n",
              window,
              r,
              oursNow ? "ours" : "hpa ",
              run.seconds(),
              run.ubootRate());
          if (r > 0) {
            (oursNow ? ours : hpa).add(run.seconds());
          }
        }
      }
      double mo = BenchBoard.median(ours);
      double mh = BenchBoard.median(hpa);
      say(
          "| blksize 1468, windowsize %d | %.3f (%s) | %.3f (%s) | %.2f |",
          window, mo, BenchBoard.range(ours), mh, BenchBoard.range(hpa), mh / mo);
    }
    say("");
  }

  private static void parallel(QemuUBootBoard a, QemuUBootBoard b, int rounds) throws Exception {
    byte[] one = BoardRecipes.randomImage(TFTP_IMAGE, 72);
    byte[] two = BoardRecipes.randomImage(TFTP_IMAGE, 73);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Double> alone = new ArrayList<>();
    List<Double> both = new ArrayList<>();
    try {
      for (int r = 0; r <= rounds; r++) {
        for (int k = 0; k < 2; k++) {
          boolean aloneNow = (k + r) % 2 == 0;
          long t0 = System.nanoTime();
          if (aloneNow) {
            check(burn(a, one), a, one);
          } else {
            b.resume();
            t0 = System.nanoTime();
            Future<BurnOutcome> fa = pool.submit(() -> burn(a, one));
            Future<BurnOutcome> fb = pool.submit(() -> burn(b, two));
            check(fa.get(300, TimeUnit.SECONDS), a, one);
            check(fb.get(300, TimeUnit.SECONDS), b, two);
          }
          double s = BenchBoard.seconds(System.nanoTime() - t0);
          if (!aloneNow) {
            b.pause();
          }
          System.err.printf(
              Locale.ROOT, "burn round %d %s %.2f s%n", r, aloneNow ? "alone" : "both ", s);
          if (r > 0) {
            (aloneNow ? alone : both).add(s);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    double ma = BenchBoard.median(alone);
    double mb = BenchBoard.median(both);
    say("| uboot-tftp burn, 16 MiB, virtio write + read-back | median wall s (range) |");
    say("|---|---|");
    say("| one board | %.2f (%s) |", ma, BenchBoard.range(alone));
    say("| two boards at once | %.2f (%s) |", mb, BenchBoard.range(both));
    say("| ratio two / one | %.2f |", mb / ma);
    say("rounds alone %s, both %s", alone, both);
  }

  private static BurnOutcome burn(QemuUBootBoard board, byte[] image) throws IOException {
    return BurnerDrivers.named("uboot-tftp", board.environment())
        .burn(
            BoardRecipes.virtioJob("fw.bin", image, board.fixture()),
            ProgressListener.NONE,
            CancellationToken.create());
  }

  private static void check(BurnOutcome o, QemuUBootBoard board, byte[] image) throws IOException {
    if (!o.isPassed() || !Arrays.equals(image, board.flashBytes(0, image.length))) {
      throw new IOException("burn did not pass: " + o + "\n" + board.log());
    }
  }

  private static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static void say(String fmt, Object... args) {
    System.out.println(String.format(Locale.ROOT, fmt, args));
  }
}
