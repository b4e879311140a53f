package io.burnguard.ports.serial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes that have a device open by reading {@code /proc/*}{@code /fd} links. Never
 * opens the device itself. Processes that end or hide their fds (another user's, without privilege)
 * during the scan are skipped.
 */
public final class ProcScan {
  private final Path proc;

  /**
   * @param proc the proc root, {@code /proc}
   */
  public ProcScan(Path proc) {
    this.proc = proc;
  }

  /** Every process with an fd on {@code device} (its real path, e.g. {@code /dev/pts/3}). */
  public List<PortUser> openers(Path device) {
    String target = device.toString();
    List<PortUser> out = new ArrayList<>();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path p : pids) {
        if (holds(p.resolve("fd"), target)) {
          out.add(describe(p));
        }
      }
    } catch (IOException e) {
      // proc unreadable: nothing can be named; the caller reports the open without a user
    }
    return out;
  }

  private static boolean holds(Path fdDir, String target) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).toString().equals(target)) {
            return true;
          }
        } catch (IOException | UnsupportedOperationException closed) {
          // the fd was closed meanwhile
        }
      }
    } catch (IOException gone) {
      // the process ended, or its fds are not ours to read
    }
    return false;
  }

  private static PortUser describe(Path p) {
    long pid = Long.parseLong(p.getFileName().toString());
    String command;
    try {
      byte[] raw = Files.readAllBytes(p.resolve("cmdline"));
      StringBuilder b = new StringBuilder();
      for (byte x : raw) {
        char c = (char) (x & 0xff);
        b.append(x == 0 ? ' ' : (Character.isISOControl(c) ? '?' : c));
      }
      command =
          new String(
              b.toString().trim().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    } catch (IOException e) {
      command = "?";
    }
    String user;
    try {
      user = Files.getOwner(p).getName();
    } catch (IOException e) {
      user = "?";
    }
    return new PortUser(pid, command, user);
  }
}
