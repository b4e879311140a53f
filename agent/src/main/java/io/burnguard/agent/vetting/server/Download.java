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
      DesignatedServerClient.Progress progress)
      throws ServerRefusedException, IOException {
    createPrivate(part);
    long have = Files.size(part);
    if (have > expected) {
      truncate(part, 0);
      have = 0;
    }
    if (have == expected) {
      progress.update(have, expected);
      return;
    }
    HttpURLConnection c = client.open(path, have);
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
      copy(client, path, c, part, start, expected, progress);
    } finally {
      c.disconnect();
    }
  }

  private static void copy(
      DesignatedServerClient client,
      String path,
      HttpURLConnection c,
      Path part,
      long start,
      long expected,
      DesignatedServerClient.Progress progress)
      throws ServerRefusedException, IOException {
    long done = start;
    long reported = -1;
    try (FileChannel ch =
            FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        OutputStream out = Channels.newOutputStream(ch)) {
      try (InputStream in = c.getInputStream()) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          if (done + n > expected) {
            throw new ServerRefusedException(
                TOO_LARGE,
                String.format(
                    Locale.ROOT,
                    "%s sends more than the manifest's %d bytes",
                    client.where(path),
                    expected));
          }
          out.write(buf, 0, n);
          done += n;
          if (done - reported >= PROGRESS_STEP) {
            progress.update(done, expected);
            reported = done;
          }
        }
      } catch (IOException e) {
        out.flush();
        ch.force(false);
        throw client.failure(path, e, TRUNCATED);
      }
      out.flush();
      ch.force(false);
    }
    progress.update(done, expected);
    if (done != expected) {
      throw new ServerRefusedException(
          TRUNCATED,
          String.format(
              Locale.ROOT,
              "%s ended after %d of %d bytes; %d are kept for resuming",
              client.where(path),
              done,
              expected,
              done));
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
