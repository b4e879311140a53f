package io.burnguard.drivers.bench;

import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.ymodem.YmodemException;
import io.burnguard.drivers.ymodem.YmodemSender;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Our YMODEM-1K sender against lrzsz's {@code sz --ymodem} into the same U-Boot {@code loady}.
 *
 * <p>Both senders start at the same point: {@code loady} has printed "Ready for binary (ymodem)",
 * and the clock runs until the sender has finished the batch (ours: {@code send} returns; sz: the
 * process exits 0). The RAM crc32 is checked after every round, outside the timing. {@code sz} runs
 * with the console pty as its stdin and stdout, which is how it is used from a terminal.
 */
final class YmodemVsSz {
  private static final Pattern READY =
      Pattern.compile("(?i)ready for binary \\(ymodem\\)[^\\n]*\\n");

  /** The senders compared, in the table's order. */
  enum Sender {
    OURS("ours (YMODEM-1K)"),
    SZ("sz --ymodem"),
    SZ_1K("sz --ymodem -k (1K blocks)");

    final String label;

    Sender(String label) {
      this.label = label;
    }
  }

  private final BenchBoard board;
  private final Path imageFile;
  private final byte[] image;
  private final Path szLog;

  YmodemVsSz(BenchBoard board, Path workDir, byte[] image) throws IOException {
    this.board = board;
    this.image = image;
    this.imageFile = workDir.resolve("fw1m.bin");
    this.szLog = workDir.resolve("sz.log");
    Files.write(imageFile, image);
  }

  /** One transfer; returns its seconds. */
  double transfer(Sender sender) throws IOException, InterruptedException {
    board.poison(image.length);
    board.console().start("loady " + BenchBoard.LOADADDR);
    board.console().await(READY, Duration.ofSeconds(20), "loady");
    double s = sender == Sender.OURS ? ours() : sz(sender == Sender.SZ_1K);
    board.checkRam(image);
    return s;
  }

  private double ours() throws IOException {
    YmodemSender s =
        new YmodemSender(board.console().link(), Clock.systemUTC(), CancellationToken.create())
            .startTimeout(Duration.ofSeconds(15));
    long t0 = System.nanoTime();
    try {
      s.send(
          imageFile.getFileName().toString(),
          image.length,
          new ByteArrayInputStream(image),
          (a, b) -> {});
    } catch (YmodemException e) {
      throw new IOException("our sender failed: " + e.getMessage(), e);
    }
    return BenchBoard.seconds(System.nanoTime() - t0);
  }

  private double sz(boolean oneK) throws IOException, InterruptedException {
    String pty = board.board().serialPath();
    board.release();
    String flags = oneK ? "--ymodem -k" : "--ymodem";
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    "sh",
                    "-c",
                    "exec sz " + flags + " \"$1\" <\"$2\" >\"$2\"",
                    "sz",
                    imageFile.toString(),
                    pty))
            .redirectError(ProcessBuilder.Redirect.appendTo(szLog.toFile()));
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        throw new IOException("sz did not finish within 600 s; see " + szLog);
      }
      long t1 = System.nanoTime();
      if (p.exitValue() != 0) {
        throw new IOException("sz exited " + p.exitValue() + "; see " + szLog);
      }
      return BenchBoard.seconds(t1 - t0);
    } finally {
      ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
