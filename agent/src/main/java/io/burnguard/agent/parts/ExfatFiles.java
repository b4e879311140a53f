package io.burnguard.agent.parts;

import io.burnguard.agent.scan.ScanException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the files of an exFAT file system without mounting it, with The Sleuth Kit (package {@code
 * sleuthkit}): {@code fls} lists every allocated file with its metadata address, {@code icat}
 * streams one file's content as the file system assembles it (fragments in cluster-chain order, up
 * to its valid data length).
 *
 * <p>Why this and not a mount: the kernel's exFAT driver parsing a hostile file system is kernel
 * attack surface, and mounting needs privileges the daemon does not have; exfatprogs has no file
 * reader and exfat-fuse also needs a mount. The Sleuth Kit parses in user space, in a process of
 * the daemon's user that is killed when it runs too long.
 *
 * <p>Fails closed: a listing line that is not understood (a file name with a line break, output of
 * another version) or a tool that exits non-zero throws, so a file can never be skipped silently
 * and the part called clean.
 */
final class ExfatFiles {
  /** exFAT boot sector: FileSystemName "EXFAT " at offset 3 (exFAT specification §3.1.2). */
  private static final byte[] SIGNATURE = "EXFAT   ".getBytes(StandardCharsets.US_ASCII);

  private static final String FLS = "/usr/bin/fls";
  private static final String ICAT = "/usr/bin/icat";
  private static final long TOOL_MINUTES = 30;

  /** {@code fls -p} line: type (directory entry / metadata), address, tab, path. */
  private static final Pattern LINE = Pattern.compile("([-a-zA-Z])/([-a-zA-Z]) (\\d+):\\t(.+)");

  /** One regular file: its metadata address and its path inside the file system. */
  record Entry(long address, String path) {}

  private ExfatFiles() {}

  /** Whether the boot sector of {@code device} names exFAT. */
  static boolean isExfat(Path device) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(device)) {
      byte[] head = in.readNBytes(3 + SIGNATURE.length);
      if (head.length < 3 + SIGNATURE.length) {
        return false;
      }
      for (int i = 0; i < SIGNATURE.length; i++) {
        if (head[3 + i] != SIGNATURE[i]) {
          return false;
        }
      }
      return true;
    }
  }

  /** Every allocated regular file, from {@code fls -r -p -u}. */
  static List<Entry> list(Path device) throws ScanException {
    Process p = start(FLS, "-r", "-p", "-u", "-f", "exfat", device.toString());
    List<Entry> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          p.destroyForcibly();
          throw unreadable(
              "fls listed a line BurnGuard cannot read in "
                  + device
                  + ": \""
                  + io.burnguard.config.UntrustedText.neutralize(line, 200)
                  + "\"; a file name may hold a line break. The part cannot be called clean:"
                  + " sanitize it");
        }
        if (m.group(2).toLowerCase(Locale.ROOT).equals("r")) {
          out.add(new Entry(Long.parseLong(m.group(3)), "/" + m.group(4)));
        }
      }
    } catch (IOException e) {
      p.destroyForcibly();
      throw unreadable("cannot read the file list of " + device + ": " + e);
    }
    finish(p, "fls", device);
    return out;
  }

  /**
   * The content of one file; the stream throws at its end when {@code icat} failed, so a file cut
   * short is never scanned as if complete.
   */
  static InputStream open(Path device, Entry e) throws ScanException {
    Process p = start(ICAT, "-f", "exfat", device.toString(), Long.toString(e.address()));
    return new FilterInputStream(p.getInputStream()) {
      private boolean checked;

      @Override
      public int read() throws IOException {
        int b = super.read();
        return b < 0 ? end(b) : b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        return n < 0 ? end(n) : n;
      }

      private int end(int eof) throws IOException {
        if (!checked) {
          checked = true;
          try {
            finish(p, "icat", device);
          } catch (ScanException x) {
            throw new IOException(x.getMessage() + " (file " + e.path() + ")", x);
          }
        }
        return eof;
      }

      @Override
      public void close() throws IOException {
        p.destroyForcibly();
        super.close();
      }
    };
  }

  private static Process start(String... command) throws ScanException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      // A hostile file system must not hold the scan for ever: the tool is killed after the
      // deadline, which ends its output and fails the scan.
      Thread w =
          new Thread(
              () -> {
                try {
                  if (!p.waitFor(TOOL_MINUTES, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                  }
                } catch (InterruptedException ignored) {
                  p.destroyForcibly();
                }
              },
              "burnguard-exfat-watchdog");
      w.setDaemon(true);
      w.start();
      return p;
    } catch (IOException e) {
      throw unreadable(
          "cannot run "
              + command[0]
              + " to read the exFAT file system: "
              + e.getMessage()
              + "; install the sleuthkit package");
    }
  }

  private static void finish(Process p, String tool, Path device) throws ScanException {
    try {
      if (!p.waitFor(TOOL_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw unreadable(
            tool + " did not finish reading " + device + " in " + TOOL_MINUTES + " min");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw unreadable("interrupted reading " + device);
    }
    if (p.exitValue() != 0) {
      throw unreadable(
          tool
              + " exited with "
              + p.exitValue()
              + " reading the exFAT file system of "
              + device
              + " (killed after "
              + TOOL_MINUTES
              + " min, or the file system is damaged); the part cannot be called clean:"
              + " sanitize it");
    }
  }

  private static ScanException unreadable(String message) {
    return new ScanException(ScanException.Reason.SOURCE_UNREADABLE, message);
  }
}
