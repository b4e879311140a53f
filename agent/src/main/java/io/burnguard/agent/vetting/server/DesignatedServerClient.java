package io.burnguard.agent.vetting.server;

import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.HTTP_STATUS;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.PATH_REFUSED;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.REDIRECT_REFUSED;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TIMEOUT;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TLS_UNTRUSTED;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TOO_LARGE;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.TRUNCATED;
import static io.burnguard.agent.vetting.server.ServerRefusedException.Reason.UNREACHABLE;

import io.burnguard.config.UntrustedText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTPS client for the designated server (issue 3, "Designated-server client").
 *
 * <p>Design. Threats: a look-alike server (only the configured CA or SPKI pin is trusted, TLS
 * 1.2+), a redirect to an attacker's host (redirects are followed only within the configured host,
 * port and base path), a path built from a hostile name (only safe segments), a server that streams
 * forever (size limits from Content-Length before reading and again while reading), a server that
 * answers slowly on purpose (connect and per-read timeouts, and a total deadline per request:
 * {@link RequestDeadline}). A redirect's path is judged decoded, so {@code %2e%2e} cannot climb out
 * of the base. Large images stream to disk and resume with an HTTP Range request; nothing large is
 * held in the heap. {@code HttpsURLConnection} is used rather than {@code java.net.http.HttpClient}
 * because it has a per-read timeout for bodies.
 */
public final class DesignatedServerClient {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
  private static final int MAX_REDIRECTS = 3;

  private final ServerConfig cfg;
  private final SSLSocketFactory sockets;

  /** A client for {@code cfg}. */
  public DesignatedServerClient(ServerConfig cfg) throws GeneralSecurityException {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.sockets = Tls.socketFactory(cfg);
  }

  /** The path of a release file under the base: {@code releases/NAME/VERSION/FILE}. */
  public static String releasePath(String name, String version, String file) {
    return "releases/" + name + "/" + version + "/" + file;
  }

  /** Fetches a small document (manifest, signature, withdrawal list, CRL) within the limit. */
  public byte[] fetchDocument(String path) throws ServerRefusedException {
    return fetchDocument(path, cfg.maxDocumentBytes());
  }

  /** Fetches a small document of at most {@code limit} bytes. */
  public byte[] fetchDocument(String path, long limit) throws ServerRefusedException {
    try (RequestDeadline deadline = new RequestDeadline(cfg.requestTimeout())) {
      return fetchDocument(path, limit, deadline);
    }
  }

  private byte[] fetchDocument(String path, long limit, RequestDeadline deadline)
      throws ServerRefusedException {
    HttpURLConnection c = open(path, 0, deadline);
    try {
      expectStatus(c, path, HttpURLConnection.HTTP_OK);
      long declared = c.getContentLengthLong();
      if (declared > limit) {
        throw tooLarge(path, declared, limit);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = c.getInputStream()) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          if (out.size() + n > limit) {
            throw tooLarge(path, out.size() + (long) n, limit);
          }
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        throw failure(path, e, TRUNCATED, deadline);
      }
      if (deadline.expired()) {
        throw failure(path, new IOException("cut off at the deadline"), TRUNCATED, deadline);
      }
      if (declared >= 0 && out.size() != declared) {
        throw new ServerRefusedException(
            TRUNCATED,
            String.format(
                Locale.ROOT, "%s ended after %d of %d bytes", where(path), out.size(), declared));
      }
      return out.toByteArray();
    } finally {
      c.disconnect();
    }
  }

  /** Opens {@code path}, following redirects only inside the base; returns the connection. */
  HttpURLConnection open(String path, long rangeStart, RequestDeadline deadline)
      throws ServerRefusedException {
    URI uri = resolve(path);
    for (int hop = 0; ; hop++) {
      HttpURLConnection c = connect(uri, path, rangeStart);
      deadline.attach(c);
      int code = status(c, path, deadline);
      if (code < 300 || code > 399 || code == HttpURLConnection.HTTP_NOT_MODIFIED) {
        return c;
      }
      String location = c.getHeaderField("Location");
      c.disconnect();
      URI target = location == null ? null : uri.resolve(location).normalize();
      if (target == null || !insideBase(target) || hop >= MAX_REDIRECTS) {
        throw new ServerRefusedException(
            REDIRECT_REFUSED,
            String.format(
                Locale.ROOT,
                "%s redirected (HTTP %d) to %s; only redirects within %s are followed (at most %d)",
                where(path),
                code,
                UntrustedText.neutralize(location, 300),
                cfg.base(),
                MAX_REDIRECTS));
      }
      uri = target;
    }
  }

  private HttpURLConnection connect(URI uri, String path, long rangeStart)
      throws ServerRefusedException {
    try {
      HttpsURLConnection c = (HttpsURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      c.setSSLSocketFactory(sockets);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setConnectTimeout(Math.toIntExact(cfg.connectTimeout().toMillis()));
      c.setReadTimeout(Math.toIntExact(cfg.readTimeout().toMillis()));
      c.setRequestProperty("Accept-Encoding", "identity");
      // No keep-alive: closing a kept-alive body drains what the server still sends, which a
      // trickling server stretches without end (and the request deadline must close, not drain).
      c.setRequestProperty("Connection", "close");
      if (rangeStart > 0) {
        c.setRequestProperty("Range", "bytes=" + rangeStart + "-");
      }
      return c;
    } catch (IOException | ClassCastException e) {
      throw new ServerRefusedException(UNREACHABLE, "cannot open " + where(path), e);
    }
  }

  private int status(HttpURLConnection c, String path, RequestDeadline deadline)
      throws ServerRefusedException {
    try {
      return c.getResponseCode();
    } catch (IOException e) {
      c.disconnect();
      throw failure(path, e, UNREACHABLE, deadline);
    }
  }

  static void expectStatus(HttpURLConnection c, String path, int... accepted)
      throws ServerRefusedException {
    int code;
    try {
      code = c.getResponseCode();
    } catch (IOException e) {
      throw new ServerRefusedException(UNREACHABLE, "no answer for " + path, e);
    }
    for (int a : accepted) {
      if (code == a) {
        return;
      }
    }
    throw new ServerRefusedException(
        HTTP_STATUS,
        String.format(
            Locale.ROOT,
            "%s answered HTTP %d; expected %s",
            c.getURL(),
            code,
            java.util.Arrays.toString(accepted)));
  }

  URI resolve(String path) throws ServerRefusedException {
    String[] parts = path.split("/", -1);
    for (String p : parts) {
      if (!SEGMENT.matcher(p).matches() || p.equals("..") || p.equals(".")) {
        throw new ServerRefusedException(
            PATH_REFUSED,
            "the path '" + path + "' has a segment '" + p + "' outside " + SEGMENT.pattern());
      }
    }
    URI uri = cfg.base().resolve(path).normalize();
    if (!insideBase(uri)) {
      throw new ServerRefusedException(PATH_REFUSED, "'" + path + "' leaves " + cfg.base());
    }
    return uri;
  }

  /**
   * True when {@code u} is on the configured host and port, under the base path. The path is judged
   * both raw and decoded: a server decodes {@code %2e%2e} to {@code ..} (and {@code %2f} to {@code
   * /}) after our check, so an encoded dot segment or slash is refused outright.
   */
  private boolean insideBase(URI u) {
    URI b = cfg.base();
    String raw = u.getRawPath();
    String decoded = u.getPath();
    return "https".equals(u.getScheme())
        && b.getHost().equalsIgnoreCase(u.getHost())
        && port(b) == port(u)
        && u.getRawUserInfo() == null
        && raw != null
        && decoded != null
        && raw.startsWith(b.getRawPath())
        && decoded.startsWith(b.getPath())
        && !ENCODED_DOT_OR_SLASH.matcher(raw).find()
        && !hasDotSegment(decoded);
  }

  private static final Pattern ENCODED_DOT_OR_SLASH =
      Pattern.compile("%(2e|2f|5c)", Pattern.CASE_INSENSITIVE);

  private static boolean hasDotSegment(String path) {
    for (String seg : path.split("/", -1)) {
      if (seg.equals("..") || seg.equals(".") || seg.contains("\\")) {
        return true;
      }
    }
    return false;
  }

  private static int port(URI u) {
    return u.getPort() == -1 ? 443 : u.getPort();
  }

  String where(String path) {
    return cfg.base() + path;
  }

  ServerRefusedException failure(
      String path, IOException e, ServerRefusedException.Reason other, RequestDeadline deadline) {
    if (deadline.expired()) {
      return new ServerRefusedException(
          TIMEOUT,
          String.format(
              Locale.ROOT,
              "%s did not finish within its total deadline of %d s (server.requestTimeout, plus"
                  + " the image length at server.minImageRate for images)",
              where(path),
              deadline.budget().toSeconds()),
          e);
    }
    if (e instanceof SSLException) {
      return new ServerRefusedException(
          TLS_UNTRUSTED, where(path) + ": TLS handshake refused (" + e.getMessage() + ")", e);
    }
    if (e instanceof SocketTimeoutException) {
      return new ServerRefusedException(
          TIMEOUT,
          String.format(
              Locale.ROOT,
              "%s: no answer within %d ms (%s)",
              where(path),
              (e.getMessage() != null && e.getMessage().contains("connect")
                      ? cfg.connectTimeout()
                      : cfg.readTimeout())
                  .toMillis(),
              e.getMessage()),
          e);
    }
    return new ServerRefusedException(other, where(path) + ": " + e, e);
  }

  ServerRefusedException tooLarge(String path, long size, long limit) {
    return new ServerRefusedException(
        TOO_LARGE,
        String.format(
            Locale.ROOT, "%s is at least %d bytes; the limit is %d", where(path), size, limit));
  }

  /** Progress of a download. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code total} bytes are on disk. */
    void update(long done, long total);
  }

  /**
   * Receives every byte of a download exactly once, in order from offset 0, as it is written to the
   * part file (for a resumed download, the bytes already on disk first). The scanning stage uses it
   * to hash and scan the image in the same read that stores it.
   */
  @FunctionalInterface
  public interface Tee {
    /** A tee that takes nothing. */
    Tee NONE = (b, off, len) -> {};

    /**
     * {@code len} bytes of {@code b} from {@code off}; the array is reused after the call returns.
     * An exception stops the download and is thrown from it unchanged.
     */
    void accept(byte[] b, int off, int len) throws IOException;
  }

  /**
   * Downloads {@code path} into {@code part} (created 0600), resuming from its current length. On
   * {@link ServerRefusedException.Reason#TRUNCATED} the bytes so far stay for the next call.
   */
  public void download(String path, java.nio.file.Path part, long expectedLength, Progress progress)
      throws ServerRefusedException, IOException {
    download(path, part, expectedLength, progress, Tee.NONE);
  }

  /**
   * As {@link #download(String, java.nio.file.Path, long, Progress)}, also handing every byte of
   * the image, from offset 0, to {@code tee}. When {@code tee} throws, the download stops with that
   * exception and the part file keeps the bytes written so far.
   */
  public void download(
      String path, java.nio.file.Path part, long expectedLength, Progress progress, Tee tee)
      throws ServerRefusedException, IOException {
    try (PlainPartFile p = PlainPartFile.open(part)) {
      download(path, p, expectedLength, progress, tee);
      p.sync();
    }
  }

  /**
   * Downloads {@code path} into {@code part}, resuming from what it holds, and hands every byte of
   * the image, from offset 0, to {@code tee}. When the download stops early, {@code part} is synced
   * and keeps what arrived; when it completes, making it durable is the caller's (so one pass ends
   * in one fsync).
   */
  public void download(String path, PartFile part, long expectedLength, Progress progress, Tee tee)
      throws ServerRefusedException, IOException {
    Objects.requireNonNull(tee, "tee");
    try (RequestDeadline deadline = new RequestDeadline(cfg.imageDeadline(expectedLength))) {
      Download.run(this, path, part, expectedLength, progress, tee, deadline);
    }
  }
}
