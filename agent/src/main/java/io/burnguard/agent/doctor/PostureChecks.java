package io.burnguard.agent.doctor;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.scan.ClamdVersion;
import io.burnguard.agent.scan.ScannerStatus;
import io.burnguard.config.ConfigProblem;
import io.burnguard.config.Durations;
import io.burnguard.config.StationConfigLoader;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The station posture checks shared by the daemon's doctor and the CLI's offline fallback. */
public final class PostureChecks {
  /** Below this, burning is refused soon (the ledger must always be writable). */
  static final long DISK_FAIL_BYTES = 256L << 20;

  static final long DISK_WARN_BYTES = 2L << 30;

  private PostureChecks() {}

  /** The config file as it is on disk now. */
  public static Check config(Path file) {
    List<ConfigProblem> problems = StationConfigLoader.check(file);
    if (problems.isEmpty()) {
      return Check.ok("config", file + " is valid");
    }
    return Check.fail(
        "config",
        problems.size() + " problem(s) in " + file + ", first: " + problems.get(0),
        "run `burnguard config check " + file + "` and fix every problem listed",
        ExitCode.USAGE);
  }

  /** The database takes a write now. */
  public static Check database(Database db) {
    try {
      db.checkWritable();
      return Check.ok(
          "database", db.file() + " is writable (schema version " + db.schemaVersion() + ")");
    } catch (DatabaseException e) {
      return Check.fail(
          "database",
          e.getMessage(),
          "burning is refused until this is fixed",
          ExitCode.UNAVAILABLE);
    }
  }

  /** The socket is 0660 in a directory no one outside its group can enter. */
  public static Check socket(Path socket) {
    Path dir = socket.toAbsolutePath().getParent();
    try {
      PosixFileAttributes d =
          Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> dp = d.permissions();
      boolean dirOk =
          !dp.contains(PosixFilePermission.OTHERS_EXECUTE)
              && !dp.contains(PosixFilePermission.OTHERS_READ)
              && !dp.contains(PosixFilePermission.OTHERS_WRITE)
              && !dp.contains(PosixFilePermission.GROUP_WRITE);
      String dirDesc =
          String.format(
              Locale.ROOT,
              "%s %s %s:%s",
              dir,
              PosixFilePermissions.toString(dp),
              d.owner().getName(),
              d.group().getName());
      if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        return Check.fail(
            "socket",
            "no socket at " + socket + " (directory " + dirDesc + ")",
            "start the daemon",
            ExitCode.UNAVAILABLE);
      }
      PosixFileAttributes s =
          Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String sockMode = PosixFilePermissions.toString(s.permissions());
      boolean sockOk = sockMode.equals("rw-rw----");
      String detail = "socket " + sockMode + ", directory " + dirDesc;
      if (dirOk && sockOk) {
        return Check.ok("socket", detail);
      }
      return Check.fail(
          "socket",
          detail,
          "the socket must be rw-rw---- in a directory without access for others (rwxr-x---);"
              + " restart the daemon so it sets them",
          ExitCode.REFUSED);
    } catch (IOException e) {
      return Check.fail(
          "socket",
          "cannot inspect " + socket + ": " + e.getMessage(),
          "check that the socket directory exists and that you are in its group",
          ExitCode.UNAVAILABLE);
    }
  }

  /** Free space where the ledger and cache live. */
  public static Check disk(Path dataDir) {
    try {
      FileStore store = Files.getFileStore(dataDir);
      long free = store.getUsableSpace();
      String detail = String.format(Locale.ROOT, "%s has %s free", dataDir, human(free));
      if (free < DISK_FAIL_BYTES) {
        return Check.fail(
            "disk",
            detail,
            "free space in " + dataDir + " (burning is refused when the ledger cannot be written)",
            ExitCode.UNAVAILABLE);
      }
      if (free < DISK_WARN_BYTES) {
        return Check.warn("disk", detail, "free space soon; the firmware cache needs room");
      }
      return Check.ok("disk", detail);
    } catch (IOException e) {
      return Check.fail(
          "disk",
          "cannot read free space of " + dataDir + ": " + e.getMessage(),
          "check that the data directory exists",
          ExitCode.UNAVAILABLE);
    }
  }

  /** clamd's version, signature database version and age, and whether a burn could scan now. */
  public static Check scanner(ScannerStatus st) {
    String what;
    if (st.version() == null) {
      what = "clamd at " + st.address() + " does not answer";
    } else {
      ClamdVersion v = st.version();
      what =
          "clamd at "
              + st.address()
              + ": "
              + v.engine()
              + ", signatures "
              + (v.databaseVersion().isPresent()
                  ? "version " + v.databaseVersion().getAsLong()
                  : "undated (local database)")
              + (st.databaseAge() == null
                  ? ""
                  : ", " + Durations.format(roundToMinutes(st.databaseAge())) + " old");
    }
    if (st.ready()) {
      return Check.ok("clamd", what);
    }
    return Check.fail(
        "clamd",
        what,
        st.problem(),
        st.version() == null ? ExitCode.UNAVAILABLE : ExitCode.REFUSED);
  }

  private static java.time.Duration roundToMinutes(java.time.Duration d) {
    return d.toMinutes() >= 1 ? java.time.Duration.ofMinutes(d.toMinutes()) : d.withNanos(0);
  }

  static String human(long bytes) {
    double b = bytes;
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (b >= 1024 && i < units.length - 1) {
      b /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, i == 0 ? "%.0f %s" : "%.1f %s", b, units[i]);
  }
}
