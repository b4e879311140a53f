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
 * Owners and modes of the files the station trusts (docs/decisions.md, "Doctor" and "File trust").
 * Whoever can write station.yaml, the release root, the server CA, a CRL, the port rules or the
 * data directory decides what this station burns; so each must be owned by root or the daemon's
 * user, writable by no group and no one else, and not a symbolic link (a link lets whoever owns its
 * target, or the directory it points into, swap the file). In the data directory the keys (audit
 * signing key, cache key) must also be readable by the owner only, and no file there may belong to
 * someone else: a local user who pre-created the directory with their own {@code audit-ed25519.key}
 * would otherwise sign the station's audit chain with a key they know (issue 12.9).
 *
 * <p>One implementation for three callers: {@code doctor} (a FAIL line), the daemon's start (it
 * refuses to start) and {@code config check} (problems, exit 2).
 */
public final class FileTrust {
  /** Files in the data directory that hold secrets: owner-only, mode 0600 or stricter. */
  public static final List<String> DATA_SECRETS = List.of("audit-ed25519.key", "cache.key");

  /** Other files in the data directory the daemon trusts: owned right, not group/world-writable. */
  public static final List<String> DATA_FILES =
      List.of(
          "audit-ed25519.pub",
          "burnguard.db",
          "burnguard.db-wal",
          "burnguard.db-shm",
          "cache",
          "log");

  private FileTrust() {}

  /** The uids allowed to own trust files when the daemon checks: root and its own user. */
  public static Set<Integer> daemonOwners() {
    Set<Integer> owners = new java.util.LinkedHashSet<>(List.of(0));
    // /proc/self resolves to this process's directory, owned by its effective uid.
    uidOf(Path.of("/proc/self")).ifPresent(owners::add);
    return owners;
  }

  /** The uid owning {@code p} (not following a link), if it can be read. */
  public static java.util.Optional<Integer> uidOf(Path p) {
    try {
      return java.util.Optional.of((Integer) Files.getAttribute(p, "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Every trust problem of {@code cfg}'s files, one sentence each naming the file, what was found
   * and what is expected; empty when all hold. Files that do not exist are left to the checks that
   * need them (the daemon creates its data directory and keys itself).
   *
   * @param owners the uids allowed to own trust files (root and the daemon's user)
   */
  public static List<String> problems(StationConfig cfg, Path configFile, Set<Integer> owners) {
    List<String> problems = new ArrayList<>();
    survey(cfg, configFile, owners, problems);
    return problems;
  }

  /** What to do about any of {@link #problems}. */
  public static final String FIX =
      "for each: replace a link by the file itself, `chown root` (or the daemon's user) and"
          + " `chmod go-w` it (keys `chmod 600`); move away a data directory or key someone else"
          + " made, then check who changed it";

  private static int survey(
      StationConfig cfg, Path configFile, Set<Integer> owners, List<String> problems) {
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
      if (e.getKey().equals("station.dataDir") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        checked += inspectData(p, owners, problems);
      }
    }
    return checked;
  }

  private static int inspectData(Path dir, Set<Integer> owners, List<String> problems) {
    int n = 0;
    for (String name : DATA_SECRETS) {
      Path f = dir.resolve(name);
      if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
        n++;
        int before = problems.size();
        inspect("station.dataDir key", f, owners, problems);
        if (problems.size() == before) {
          ownerOnly(f, problems);
        }
      }
    }
    for (String name : DATA_FILES) {
      Path f = dir.resolve(name);
      if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
        n++;
        inspect("station.dataDir file", f, owners, problems);
      }
    }
    return n;
  }

  private static void ownerOnly(Path key, List<String> problems) {
    try {
      Set<PosixFilePermission> perms =
          Files.getPosixFilePermissions(key, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> others = java.util.EnumSet.copyOf(perms);
      others.removeAll(
          java.util.EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      if (!others.isEmpty()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "station.dataDir key %s is mode %s; a key must be rw------- (0600)",
                key,
                java.nio.file.attribute.PosixFilePermissions.toString(perms)));
      }
    } catch (IOException e) {
      problems.add("station.dataDir key " + key + " cannot be inspected: " + e.getMessage());
    }
  }

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
    int checked = survey(cfg, configFile, owners, problems);
    String allowed = "owned by uid " + new TreeSet<>(owners) + ", not group/world-writable";
    if (problems.isEmpty()) {
      return Check.ok("files", checked + " trust file(s) " + allowed + ", no symbolic links");
    }
    return Check.fail("files", String.join("; ", problems), FIX, ExitCode.REFUSED);
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
