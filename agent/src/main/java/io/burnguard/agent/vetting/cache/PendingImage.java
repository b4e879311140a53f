package io.burnguard.agent.vetting.cache;

import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.PartFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.SecretKey;

/**
 * An image being written into the cache as it downloads (issue 17, "one-pass fetch"): every chunk
 * is encrypted ({@link ChunkedGcm}) into the resumable part file as soon as it is complete, so the
 * image is written once, synced once and published by a rename, with no second read.
 *
 * <p>Design. The manifest's length fixes the chunk count, so each chunk is sealed with its final
 * index and last-chunk flag the moment its bytes are in; only the current, incomplete chunk (at
 * most 64 KiB) is in memory. A resumed part file is cut back to its last whole chunk, and the
 * chunks it holds are authenticated and decrypted again to feed the digest and the scanner (so the
 * verdict and the digest always cover the whole image). A part file that fails authentication is
 * discarded. Nothing becomes visible in the cache before {@link #publish()}, which the fetcher
 * calls only after the length and SHA-256 matched ({@link #verifyAndSync()}) and clamd's verdict
 * was clean; until then the image is a part file that burns never read.
 *
 * <p>Nonces: a chunk index is sealed again after a resume only if its earlier sealing never fully
 * reached the disk (it was cut back), so its tag was never written; a restart from zero (the server
 * ignored the Range request) writes a new header with a fresh nonce prefix.
 */
public final class PendingImage implements PartFile {
  private final Manifest m;
  private final Path part;
  private final Path target;
  private final SecretKey key;
  private final Clock clock;
  private final FileChannel ch;
  private final long chunks;
  private final MessageDigest md = ImageCache.newSha256();
  private final byte[] buf = new byte[ChunkedGcm.CHUNK];
  private byte[] header;
  private int buffered;
  private long sealed;
  private long count;
  private boolean synced;

  PendingImage(Manifest m, Path part, Path target, SecretKey key, Clock clock) throws IOException {
    this.m = m;
    this.part = part;
    this.target = target;
    this.key = key;
    this.clock = clock;
    this.chunks = ChunkedGcm.chunks(m.length());
    if (!Files.exists(part)) {
      Files.createFile(
          part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    this.ch = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
    byte[] h = new byte[ChunkedGcm.HEADER];
    if (ch.size() >= h.length && readFully(ByteBuffer.wrap(h), 0) && ChunkedGcm.isHeader(h)) {
      header = h;
    } else {
      reset();
    }
  }

  @Override
  public long held() throws IOException {
    long size = ch.size();
    if (size == ChunkedGcm.encryptedSize(m.length())) {
      sealed = chunks;
      return m.length();
    }
    long whole = Math.min(chunks - 1, (size - ChunkedGcm.HEADER) / sealedChunkSize());
    ch.truncate(ChunkedGcm.HEADER + whole * sealedChunkSize());
    sealed = whole;
    return whole * ChunkedGcm.CHUNK;
  }

  @Override
  public void reset() throws IOException {
    header = ChunkedGcm.newHeader();
    ch.truncate(0);
    writeFully(ByteBuffer.wrap(header), 0);
    md.reset();
    buffered = 0;
    sealed = 0;
    count = 0;
  }

  @Override
  public void replay(DesignatedServerClient.Tee tee) throws IOException {
    md.reset();
    count = 0;
    byte[] sealedBytes = new byte[ChunkedGcm.CHUNK + ChunkedGcm.TAG];
    for (long i = 0; i < sealed; i++) {
      boolean last = i == chunks - 1;
      int plainLength = last ? (int) (m.length() - i * ChunkedGcm.CHUNK) : ChunkedGcm.CHUNK;
      ByteBuffer bb = ByteBuffer.wrap(sealedBytes, 0, plainLength + ChunkedGcm.TAG);
      if (!readFully(bb, ChunkedGcm.HEADER + i * sealedChunkSize())) {
        throw new IOException("the part file " + part + " shrank while resuming");
      }
      byte[] plain;
      try {
        plain =
            ChunkedGcm.open(
                key,
                header,
                i,
                last,
                java.util.Arrays.copyOf(sealedBytes, plainLength + ChunkedGcm.TAG));
      } catch (GeneralSecurityException e) {
        reset();
        throw new IOException(
            "the part file "
                + part
                + " fails authentication at chunk "
                + i
                + "; it was discarded, fetch again",
            e);
      }
      md.update(plain);
      count += plain.length;
      tee.accept(plain, 0, plain.length);
    }
  }

  @Override
  public void append(byte[] b, int off, int len) throws IOException {
    if (count + len > m.length()) {
      throw new IOException(
          String.format(
              Locale.ROOT, "more than the manifest's %d bytes reached the cache", m.length()));
    }
    md.update(b, off, len);
    count += len;
    synced = false;
    while (len > 0) {
      int n = Math.min(len, buf.length - buffered);
      System.arraycopy(b, off, buf, buffered, n);
      buffered += n;
      off += n;
      len -= n;
      if (buffered == buf.length || count == m.length() && len == 0) {
        sealBuffered();
      }
    }
    if (m.length() == 0 && sealed == 0) {
      sealBuffered();
    }
  }

  private void sealBuffered() throws IOException {
    boolean last = sealed == chunks - 1;
    try {
      byte[] out = ChunkedGcm.seal(key, header, sealed, last, buf, buffered);
      writeFully(ByteBuffer.wrap(out), ChunkedGcm.HEADER + sealed * sealedChunkSize());
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-256-GCM is unavailable: " + e.getMessage(), e);
    }
    sealed++;
    buffered = 0;
  }

  @Override
  public void sync() throws IOException {
    ch.force(false);
    synced = true;
  }

  /**
   * Checks that the whole image arrived with the manifest's length and SHA-256 (else the part file
   * is deleted and the release refused), then makes it durable: the one fsync of the fetch.
   */
  public void verifyAndSync() throws IOException, ReleaseRejectedException {
    if (m.length() == 0 && sealed == 0) {
      sealBuffered();
    }
    try {
      ImageCache.check(
          m, count, HexFormat.of().formatHex(md.digest()), "the downloaded image " + m.file());
    } catch (ReleaseRejectedException e) {
      close();
      Files.deleteIfExists(part);
      throw e;
    }
    if (!synced) {
      ch.force(true);
      synced = true;
    }
  }

  /** Moves the verified, synced image into the cache; returns its file there. */
  public Path publish() throws IOException {
    if (!synced || sealed != chunks) {
      throw new IllegalStateException("publish() before verifyAndSync()");
    }
    ch.close();
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
    return target;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  private long sealedChunkSize() {
    return ChunkedGcm.CHUNK + ChunkedGcm.TAG;
  }

  private boolean readFully(ByteBuffer bb, long at) throws IOException {
    while (bb.hasRemaining()) {
      int n = ch.read(bb, at);
      if (n < 0) {
        return false;
      }
      at += n;
    }
    return true;
  }

  private void writeFully(ByteBuffer bb, long at) throws IOException {
    while (bb.hasRemaining()) {
      at += ch.write(bb, at);
    }
  }
}
