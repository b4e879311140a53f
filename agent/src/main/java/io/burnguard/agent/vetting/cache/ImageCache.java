package io.burnguard.agent.vetting.cache;

import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.Reason;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The station's encrypted image cache (issue 3, "Cache").
 *
 * <p>Design. Images are stored AES-256-GCM encrypted ({@link ChunkedGcm}) under a key held in a
 * 0600 file that only the daemon's user can read; image files are 0600 in a 0700 directory. A file
 * is named by the manifest's SHA-256, so an image is stored once whatever its name. Storing
 * re-computes length and SHA-256 while encrypting and refuses a mismatch, so the cache holds only
 * vetted bytes. Reading for a burn authenticates every chunk before handing it out and re-computes
 * length and SHA-256; at the end of the stream a mismatch throws before {@code -1} is returned, so
 * a burn that read a changed file cannot be reported as passed. The last-used time (file mtime, set
 * from the injected clock) drives the retention purge.
 */
public final class ImageCache {
  private static final Set<PosixFilePermission> FILE_0600 =
      PosixFilePermissions.fromString("rw-------");
  private static final String SUFFIX = ".img";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final SecretKey key;
  private final Clock clock;

  private ImageCache(Path dir, SecretKey key, Clock clock) {
    this.dir = dir;
    this.key = key;
    this.clock = clock;
  }

  /**
   * Opens the cache in {@code dir} (created 0700) with the key in {@code keyFile} (created 0600
   * with 32 random bytes when missing; refused when readable by others or of the wrong size).
   */
  public static ImageCache open(Path dir, Path keyFile, Clock clock) throws IOException {
    Objects.requireNonNull(clock, "clock");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    if (!Files.exists(keyFile)) {
      byte[] k = new byte[32];
      RANDOM.nextBytes(k);
      Path tmp =
          Files.createTempFile(
              keyFile.toAbsolutePath().getParent(),
              ".key-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(FILE_0600));
      Files.write(tmp, k);
      Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
    if (!FILE_0600.containsAll(perms)) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "the cache key %s has mode %s; expected rw------- (run: chmod 600 %s)",
              keyFile,
              PosixFilePermissions.toString(perms),
              keyFile));
    }
    byte[] k = Files.readAllBytes(keyFile);
    if (k.length != 32) {
      throw new IOException(
          "the cache key " + keyFile + " is " + k.length + " bytes; expected 32 (AES-256)");
    }
    return new ImageCache(dir, new SecretKeySpec(k, "AES"), clock);
  }

  /** The file holding the image of {@code m}. */
  public Path fileOf(Manifest m) {
    return dir.resolve(m.sha256() + SUFFIX);
  }

  /**
   * Removes the image with digest {@code sha256} (quarantine after a malware detection).
   *
   * @return whether a cached image was removed
   */
  public boolean remove(String sha256) throws IOException {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    return Files.deleteIfExists(dir.resolve(sha256 + SUFFIX));
  }

  /** Whether the image of {@code m} is cached. */
  public boolean contains(Manifest m) {
    return Files.isRegularFile(fileOf(m));
  }

  /**
   * Encrypts the plaintext image {@code source} into the cache, checking length and SHA-256 against
   * {@code m} on the way (the bytes stored are the bytes checked).
   */
  public Path store(Manifest m, InputStream source) throws IOException, ReleaseRejectedException {
    Path tmp =
        Files.createTempFile(
            dir, ".store-", ".tmp", PosixFilePermissions.asFileAttribute(FILE_0600));
    try {
      MessageDigest md = sha256();
      CountingInput counted = new CountingInput(new DigestInputStream(source, md));
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        ChunkedGcm.encrypt(key, counted, out);
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-256-GCM is unavailable: " + e.getMessage(), e);
      }
      check(m, counted.count, HexFormat.of().formatHex(md.digest()), "the downloaded image");
      try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Path target = fileOf(m);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The vetted bytes of {@code m} for a burn. Every chunk is authenticated before it is returned;
   * at the end, length and SHA-256 are compared with the manifest and a mismatch throws {@link
   * VettedImageChangedException} instead of end-of-stream.
   */
  public InputStream openForBurn(Manifest m) throws IOException {
    Path f = fileOf(m);
    Files.setLastModifiedTime(f, FileTime.from(clock.instant()));
    return new Verifying(ChunkedGcm.decrypt(key, Files.newInputStream(f)), m, f);
  }

  /** Deletes images not used for {@code retention}; returns the files deleted. */
  public List<Path> purge(Duration retention) throws IOException {
    Instant cutoff = clock.instant().minus(retention);
    List<Path> deleted = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
          Files.delete(p);
          deleted.add(p);
        }
      }
    }
    return deleted;
  }

  static void check(Manifest m, long length, String sha, String what)
      throws ReleaseRejectedException {
    if (length != m.length()) {
      throw new ReleaseRejectedException(
          Reason.IMAGE_LENGTH_MISMATCH,
          String.format(
              Locale.ROOT,
              "%s is %d bytes; manifest %s %s says %d",
              what,
              length,
              m.name(),
              m.version(),
              m.length()));
    }
    if (!sha.equals(m.sha256())) {
      throw new ReleaseRejectedException(
          Reason.IMAGE_DIGEST_MISMATCH,
          String.format(
              Locale.ROOT,
              "%s has SHA-256 %s; manifest %s %s says %s",
              what,
              sha,
              m.name(),
              m.version(),
              m.sha256()));
    }
  }

  /**
   * Starts writing the image of {@code m} into the cache as it downloads, in {@code part} (resuming
   * what it holds). The image is visible only after {@link PendingImage#publish()}.
   */
  public PendingImage begin(Manifest m, Path part) throws IOException {
    return new PendingImage(m, part, fileOf(m), key, clock);
  }

  static MessageDigest newSha256() {
    return sha256();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Counts bytes read. */
  private static final class CountingInput extends FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** Re-verifies length and digest while the burn reads. */
  private static final class Verifying extends FilterInputStream {
    private final MessageDigest md = sha256();
    private final Manifest m;
    private final Path file;
    private long count;
    private boolean checked;

    Verifying(InputStream in, Manifest m, Path file) {
      super(in);
      this.m = m;
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        md.update(b, off, n);
        count += n;
      } else if (n < 0 && !checked) {
        checked = true;
        try {
          check(m, count, HexFormat.of().formatHex(md.digest()), "the cached image " + file);
        } catch (ReleaseRejectedException e) {
          throw new VettedImageChangedException(e);
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new IOException("skipping would bypass the digest re-check of the vetted image");
    }
  }
}
