package io.burnguard.agent.vetting.server;

import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.HTTP_STATUS;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TOO_LARGE;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TRUNCATED;

import io.burnguard.config.UntrustedText;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One resumable image download: Range from the bytes the part file holds, 206 checked against
 * Content-Range, 200 restarts from zero, never more bytes than the manifest's length.
 *
 * <p>The optional {@link DesignatedServerClient.Tee} sees every byte of the image exactly once, in
 * order, from offset 0 (issue 4: "one read of the bytes feeds digest and clamd"): the bytes a
 * resumed part file holds are replayed first, then each network read is handed to it right after it
 * is appended to the part file. A tee failure stops the download (the part file keeps what was
 * written, for resuming) and propagates as it is, not as a server failure. Whatever stops a
 * download early syncs the part file; a completed one is made durable by the caller.
 */
final class Download {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final long PROGRESS_STEP = 1 << 20;

  private Download() {}

  static void run(
      DesignatedServerClient client,
      String path,
      PartFile part,
      long expected,
      DesignatedServerClient.Progress progress,
      DesignatedServerClient.Tee tee,
      RequestDeadline deadline)
      throws ServerRefusedException, IOException {
    long have = part.held();
    if (have > expected) {
      part.reset();
      have = 0;
    }
    if (have == expected) {
      part.replay(tee);
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
        part.reset();
      }
      long remaining = expected - start;
      long declared = c.getContentLengthLong();
      if (declared > remaining) {
        throw client.tooLarge(path, start + declared, expected);
      }
      part.replay(tee);
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

    String where() {
      return client.where(path);
    }
  }

  private static void copy(
      Source src,
      PartFile part,
      long start,
      long expected,
      DesignatedServerClient.Progress progress,
      DesignatedServerClient.Tee tee)
      throws ServerRefusedException, IOException {
    long done = start;
    long reported = -1;
    try (InputStream in = src.body()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = src.read(in, buf)) > 0; ) {
        if (done + n > expected) {
          throw new ServerRefusedException(
              TOO_LARGE,
              String.format(
                  Locale.ROOT,
                  "%s sends more than the manifest's %d bytes",
                  src.where(),
                  expected));
        }
        part.append(buf, 0, n);
        done += n;
        tee.accept(buf, 0, n);
        if (done - reported >= PROGRESS_STEP) {
          progress.update(done, expected);
          reported = done;
        }
      }
    } catch (ServerRefusedException | IOException | RuntimeException e) {
      // What reached the part file stays there for resuming, whatever stopped the copy.
      part.sync();
      throw e;
    }
    progress.update(done, expected);
    if (done != expected) {
      part.sync();
      if (src.deadline().expired()) {
        throw src.client()
            .failure(
                src.path(), new IOException("cut off at the deadline"), TRUNCATED, src.deadline());
      }
      throw new ServerRefusedException(
          TRUNCATED,
          String.format(
              Locale.ROOT,
              "%s ended after %d of %d bytes; %d are kept for resuming",
              src.where(),
              done,
              expected,
              part.held()));
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
          "206 with Content-Range '"
              + UntrustedText.neutralize(h, 120)
              + "'; expected bytes N-M/"
              + expected
              + " for "
              + path);
    }
    return Long.parseLong(m.group(1));
  }
}
