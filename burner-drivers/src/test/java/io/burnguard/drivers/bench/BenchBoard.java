package io.burnguard.drivers.bench;

import io.burnguard.drivers.DriverEnvironment;
import io.burnguard.drivers.serial.SerialLink;
import io.burnguard.drivers.testing.QemuUBootBoard;
import io.burnguard.drivers.uboot.BenchConsole;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/** Console access to a bench board, and the checks every round ends with. */
final class BenchBoard {
  static final String LOADADDR = "0x40200000";
  private static final Pattern CRC = Pattern.compile("==> ([0-9a-f]{8})");

  private final QemuUBootBoard board;
  private SerialLink link;
  private BenchConsole console;

  BenchBoard(QemuUBootBoard board) {
    this.board = board;
  }

  QemuUBootBoard board() {
    return board;
  }

  /** Opens the console (if closed) and reaches a confirmed prompt. */
  BenchConsole console() throws IOException {
    if (console == null) {
      link = DriverEnvironment.system().serial().open(board.serialPath(), 115200);
      try {
        console = BenchConsole.open(link, Duration.ofSeconds(30));
      } catch (IOException e) {
        throw new IOException(e.getMessage() + "\n" + board.log(), e);
      }
    }
    return console;
  }

  /** Lets go of the console port so that another program (sz) can use it. */
  void release() {
    if (link != null) {
      link.close();
    }
    link = null;
    console = null;
  }

  String run(String command, int timeoutSeconds) throws IOException {
    return console().run(command, Duration.ofSeconds(timeoutSeconds));
  }

  /** Fills the load area with a byte, so a transfer that did nothing cannot pass the check. */
  void poison(long length) throws IOException {
    run("mw.b " + LOADADDR + " 0xa5 " + hex(length), 60);
  }

  /** The board must report the image's length and crc32 for what is now in its RAM. */
  void checkRam(byte[] image) throws IOException {
    String fs = run("printenv filesize", 10);
    if (!fs.contains("filesize=" + Long.toHexString(image.length))) {
      throw new IOException("board received the wrong length: " + fs.trim());
    }
    Matcher m = CRC.matcher(run("crc32 " + LOADADDR + " " + hex(image.length), 60));
    String want = crc32(image);
    if (!m.find() || !m.group(1).equals(want)) {
      throw new IOException("RAM crc32 differs from the image's " + want);
    }
  }

  static String hex(long n) {
    return "0x" + Long.toHexString(n);
  }

  static String crc32(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return String.format(Locale.ROOT, "%08x", c.getValue());
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** "min-max" of the rounds, to show the spread next to a median. */
  static String range(List<Double> xs) {
    return String.format(Locale.ROOT, "%.2f-%.2f", Collections.min(xs), Collections.max(xs));
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
