package io.burnguard.agent.vetting.server;

import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.HTTP_STATUS;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TOO_LARGE;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TRUNCATED;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One resumable image download: Range from the bytes already on disk, 206 checked against
 * Content-Range, 200 restarts from zero, never more bytes than the manifest's length.
 *
 * <p>The optional {@link DesignatedServerClient.Tee} sees every byte of the image exactly once, in
 * order, from offset 0 (issue 4: "one read of the bytes feeds digest and clamd"): the bytes of a
 * resumed part file are read back from disk first, then each network read is handed to it right
 * after it is appended to the part file. A tee failure stops the download (the part file keeps what
 * was written, for resuming) and propagates as it is, not as a server failure.
 */
final class Download {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final long PROGRESS_STEP = 1 << 20;

  private Download() {}

  static void run(
      DesignatedServerClient client,
      String path,
      Path part,
      long expected,
      DesignatedServerClient.Progress progress,
      DesignatedServerClient.Tee tee,
      RequestDeadline deadline)
      throws ServerRefusedException, IOException {
    createPrivate(part);
    long have = Files.size(part);
    if (have > expected) {
      truncate(part, 0);
      have = 0;
    }
    if (have == expected) {
      replay(part, have, tee);
      progress.update(have, expected);
      return;
    }
    HttpURLConnection c = client.open(path, have, deadline);
    try {
      DesignatedServerClient.expectStatus(
          c, path, HttpURLConnection.HTTP_OK, HttpURLConnection.HTTP_PARTIAL);
      long start =
          c.getResponseCode() == HttpURLConnection.HTTP_PARTIAL ? rangeStart(c, path, expected) : 0;
      if (start != have) {
        if (start != 0) {
          throw new ServerRefusedException(
              HTTP_STATUS,
              String.format(
                  Locale.ROOT, "%s resumed at %d; asked for %d", client.where(path), start, have));
        }
        truncate(part, 0);
      }
      long remaining = expected - start;
      long declared = c.getContentLengthLong();
      if (declared > remaining) {
        throw client.tooLarge(path, start + declared, expected);
      }
      replay(part, start, tee);
      copy(new Source(client, path, c, deadline), part, start, expected, progress, tee);
    } finally {
      c.disconnect();
    }
  }

  /** Where the bytes come from, and how its failures are named. */
  private record Source(
      DesignatedServerClient client, String path, HttpURLConnection c, RequestDeadline deadline) {
    InputStream body() throws ServerRefusedException {
      try {
        return c.getInputStream();
      } catch (IOException e) {
        throw client.failure(path, e, TRUNCATED, deadline);
      }
    }

    /** One network read; its failures are the server's (timeout, TLS, connection cut). */
    int read(InputStream in, byte[] buf) throws ServerRefusedException {
      try {
        return in.read(buf);
      } catch (IOException e) {
        throw client.failure(path, e, TRUNCATED, deadline);
      }
    }
  }

  private static void copy(
      Source src,
      Path part,
      long start,
      long expected,
      DesignatedServerClient.Progress progress,
      DesignatedServerClient.Tee tee)
      throws ServerRefusedException, IOException {
    long done = start;
    long reported = -1;
    try (FileChannel ch =
            FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        OutputStream out = Channels.newOutputStream(ch);
        InputStream in = src.body()) {
      byte[] buf = new byte[1 << 16];
      try {
        for (int n; (n = src.read(in, buf)) > 0; ) {
          if (done + n > expected) {
            throw new ServerRefusedException(
                TOO_LARGE,
                String.format(
                    Locale.ROOT,
                    "%s sends more than the manifest's %d bytes",
                    src.client().where(src.path()),
                    expected));
          }
          out.write(buf, 0, n);
          done += n;
          tee.accept(buf, 0, n);
          if (done - reported >= PROGRESS_STEP) {
            progress.update(done, expected);
            reported = done;
          }
        }
      } finally {
        // What reached the part file stays there for resuming, whatever stopped the copy.
        out.flush();
        ch.force(false);
      }
    }
    progress.update(done, expected);
    if (done != expected && src.deadline().expired()) {
      throw src.client()
          .failure(
              src.path(), new IOException("cut off at the deadline"), TRUNCATED, src.deadline());
    }
    if (done != expected) {
      throw new ServerRefusedException(
          TRUNCATED,
          String.format(
              Locale.ROOT,
              "%s ended after %d of %d bytes; %d are kept for resuming",
              src.client().where(src.path()),
              done,
              expected,
              done));
    }
  }

  /** Hands the first {@code length} bytes already in the part file to the tee, in order. */
  private static void replay(Path part, long length, DesignatedServerClient.Tee tee)
      throws IOException {
    if (length == 0 || tee == DesignatedServerClient.Tee.NONE) {
      return;
    }
    try (InputStream in = Files.newInputStream(part)) {
      byte[] buf = new byte[1 << 16];
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(
              String.format(
                  Locale.ROOT,
                  "the part file %s shrank below %d bytes while resuming",
                  part,
                  length));
        }
        tee.accept(buf, 0, n);
        left -= n;
      }
    }
  }

  private static long rangeStart(HttpURLConnection c, String path, long expected)
      throws ServerRefusedException {
    String h = c.getHeaderField("Content-Range");
    Matcher m = h == null ? null : CONTENT_RANGE.matcher(h);
    if (m == null
        || !m.matches()
        || (!"*".equals(m.group(3)) && Long.parseLong(m.group(3)) != expected)) {
      throw new ServerRefusedException(
          HTTP_STATUS,
          "206 with Content-Range '" + h + "'; expected bytes N-M/" + expected + " for " + path);
    }
    return Long.parseLong(m.group(1));
  }

  private static void createPrivate(Path part) throws IOException {
    if (!Files.exists(part)) {
      Files.createFile(
          part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
  }

  private static void truncate(Path part, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(part, EnumSet.of(StandardOpenOption.WRITE))) {
      ch.truncate(size);
    }
  }
}
