package io.burnguard.agent.vetting.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/** A part file that holds the image's bytes as they are, in a file created 0600. */
final class PlainPartFile implements PartFile {
  private final Path path;
  private final FileChannel ch;

  private PlainPartFile(Path path, FileChannel ch) {
    this.path = path;
    this.ch = ch;
  }

  static PlainPartFile open(Path path) throws IOException {
    if (!Files.exists(path)) {
      Files.createFile(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return new PlainPartFile(path, FileChannel.open(path, StandardOpenOption.WRITE));
  }

  @Override
  public long held() throws IOException {
    return ch.size();
  }

  @Override
  public void reset() throws IOException {
    ch.truncate(0);
  }

  @Override
  public void replay(DesignatedServerClient.Tee tee) throws IOException {
    long length = ch.size();
    if (length == 0 || tee == DesignatedServerClient.Tee.NONE) {
      return;
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buf = new byte[1 << 16];
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(
              String.format(
                  Locale.ROOT,
                  "the part file %s shrank below %d bytes while resuming",
                  path,
                  length));
        }
        tee.accept(buf, 0, n);
        left -= n;
      }
    }
  }

  @Override
  public void append(byte[] b, int off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    long at = ch.size();
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }

  @Override
  public void sync() throws IOException {
    ch.force(false);
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
