package io.burnguard.agent.doctor;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.config.StationConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Owners and modes of the files the station trusts (docs/decisions.md, "Doctor"). Whoever can write
 * station.yaml, the release root, the server CA, a CRL, the port rules or the data directory
 * decides what this station burns; so each must be owned by root or the daemon's user, writable by
 * no group and no one else, and not a symbolic link (a link lets whoever owns its target, or the
 * directory it points into, swap the file).
 */
final class FileTrust {
  private FileTrust() {}

  /** The trust files of {@code cfg}, by what they are (config key), in a stable order. */
  static Map<String, Path> trustFiles(StationConfig cfg, Path configFile) {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("station.yaml", configFile);
    files.put("trust.releaseRoot", cfg.trust().releaseRoot());
    if (cfg.server().caFile() != null) {
      files.put("server.caFile", cfg.server().caFile());
    }
    files.put("trust.crlDir", cfg.trust().crlDir());
    if (cfg.ports().rulesFile() != null) {
      files.put("ports.rulesFile", cfg.ports().rulesFile());
    }
    files.put("station.dataDir", cfg.station().dataDir());
    return files;
  }

  /**
   * One check over every trust file (and every file in {@code crlDir}); files that do not exist are
   * left to the checks that need them.
   *
   * @param owners the uids allowed to own trust files (root and the daemon's user)
   */
  static Check check(StationConfig cfg, Path configFile, Set<Integer> owners) {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, Path> e : trustFiles(cfg, configFile).entrySet()) {
      Path p = e.getValue();
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      checked++;
      inspect(e.getKey(), p, owners, problems);
      if (e.getKey().equals("trust.crlDir") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        checked += inspectEntries(p, owners, problems);
      }
    }
    String allowed = "owned by uid " + new TreeSet<>(owners) + ", not group/world-writable";
    if (problems.isEmpty()) {
      return Check.ok("files", checked + " trust file(s) " + allowed + ", no symbolic links");
    }
    return Check.fail(
        "files",
        String.join("; ", problems),
        "for each: replace a link by the file itself, `chown root` and `chmod go-w` it;"
            + " then check who changed it",
        ExitCode.REFUSED);
  }

  private static int inspectEntries(Path dir, Set<Integer> owners, List<String> problems) {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        n++;
        inspect("trust.crlDir entry", f, owners, problems);
      }
    } catch (IOException e) {
      problems.add("cannot list " + dir + ": " + e.getMessage());
    }
    return n;
  }

  static void inspect(String what, Path p, Set<Integer> owners, List<String> problems) {
    try {
      if (Files.isSymbolicLink(p)) {
        problems.add(
            String.format(
                Locale.ROOT, "%s %s is a symbolic link to %s", what, p, Files.readSymbolicLink(p)));
        return;
      }
      PosixFileAttributes a =
          Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (!owners.contains(uid)) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s %s is owned by %s (uid %d); expected uid %s",
                what,
                p,
                a.owner().getName(),
                uid,
                new TreeSet<>(owners)));
      }
      Set<PosixFilePermission> perms = a.permissions();
      if (perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s %s is mode %s; group or others may write it",
                what,
                p,
                java.nio.file.attribute.PosixFilePermissions.toString(perms)));
      }
    } catch (IOException | UnsupportedOperationException e) {
      problems.add(what + " " + p + " cannot be inspected: " + e.getMessage());
    }
  }
}
