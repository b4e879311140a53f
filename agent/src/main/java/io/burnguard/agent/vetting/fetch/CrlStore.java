package io.burnguard.agent.vetting.fetch;

import io.burnguard.agent.vetting.TrustFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The refreshed CRLs in {@code crlDir}, one file per configured server CRL name.
 *
 * <p>Atomic: a CRL is written to a temporary file in {@code crlDir/.partial/} (a subdirectory, so
 * {@code TrustLoader}, which reads every regular file directly in {@code crlDir}, never sees a half
 * written one), synced, then renamed over the stored file and the directory synced. A crash leaves
 * either the old or the new CRL, never a torn one. {@code crlDir} is created 0700 for the daemon's
 * user when missing; an existing directory is left as the installer made it.
 */
final class CrlStore {
  /** A server CRL name becomes a file name: keep it plain (no '/', no leading dot). */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Path dir;

  CrlStore(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Creates {@code crlDir} (0700) when it does not exist; refuses a symlink. */
  void ensureDir() throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(
          "trust.crlDir " + dir + " is a symbolic link; make it a directory owned by the daemon");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** The stored CRL {@code name}, if there is one. */
  Optional<X509CRL> stored(String name) throws IOException {
    Path f = file(name);
    return Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(TrustFiles.crl(f))
        : Optional.empty();
  }

  /**
   * Replaces the stored CRL {@code name} by {@code der} atomically.
   *
   * @return false when the stored file already holds exactly these bytes (nothing written)
   */
  boolean put(String name, byte[] der) throws IOException {
    Path target = file(name);
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(Files.readAllBytes(target), der)) {
      return false;
    }
    Path partial = dir.resolve(".partial");
    Files.createDirectories(partial);
    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwx------"));
    Path tmp = partial.resolve(name + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer b = ByteBuffer.wrap(der);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r-----"));
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDir();
    return true;
  }

  /** The file of {@code name}; refuses a name that could leave {@code crlDir}. */
  Path file(String name) throws IOException {
    if (!SAFE.matcher(name).matches()) {
      throw new IOException(
          "trust.serverCrls names \""
              + name
              + "\", which is not a plain file name; use letters, digits, '.', '_' or '-'");
    }
    return dir.resolve(name);
  }

  private void syncDir() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
