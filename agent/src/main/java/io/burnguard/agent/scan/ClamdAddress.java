package io.burnguard.agent.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where clamd listens: {@code unix:/run/clamav/clamd.ctl} or {@code tcp://127.0.0.1:3310}.
 *
 * @param text the address as configured, used in every message
 * @param unixPath the socket file for a Unix address, else null
 * @param host the host for a TCP address, else null
 * @param port the port for a TCP address, else 0
 */
public record ClamdAddress(String text, Path unixPath, String host, int port) {

  /** Debian's default clamd socket (clamav-daemon package). */
  public static final String DEBIAN_DEFAULT = "unix:/run/clamav/clamd.ctl";

  public ClamdAddress {
    if ((unixPath == null) == (host == null)) {
      throw new IllegalArgumentException("a clamd address is either a Unix socket or TCP: " + text);
    }
    if (host != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("clamd TCP port out of range in " + text);
    }
  }

  /**
   * Parses an address string.
   *
   * @throws IllegalArgumentException naming the accepted forms when {@code text} is neither
   */
  public static ClamdAddress parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.startsWith("unix:")) {
      String p = t.substring("unix:".length());
      if (p.startsWith("//")) {
        p = p.substring(2);
      }
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException(
            "clamd address '"
                + t
                + "': a Unix socket path must be absolute, e.g. "
                + DEBIAN_DEFAULT);
      }
      return new ClamdAddress(t, Path.of(p), null, 0);
    }
    if (t.startsWith("tcp://")) {
      try {
        URI u = new URI(t);
        if (u.getHost() == null
            || u.getPort() < 0
            || !(u.getPath() == null || u.getPath().isEmpty())) {
          throw new URISyntaxException(t, "expected tcp://HOST:PORT");
        }
        return new ClamdAddress(t, null, u.getHost(), u.getPort());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "clamd address '" + t + "' is not tcp://HOST:PORT (e.g. tcp://127.0.0.1:3310)", e);
      }
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "clamd address '%s' is neither unix:/PATH nor tcp://HOST:PORT; e.g. %s or"
                + " tcp://127.0.0.1:3310",
            t,
            DEBIAN_DEFAULT));
  }

  /** A Unix socket address. */
  public static ClamdAddress unix(Path socket) {
    return parse("unix:" + socket.toAbsolutePath());
  }

  /** A TCP address. */
  public static ClamdAddress tcp(String host, int port) {
    return parse("tcp://" + host + ":" + port);
  }

  boolean isUnix() {
    return unixPath != null;
  }

  SocketChannel openChannel() throws IOException {
    ProtocolFamily family = isUnix() ? StandardProtocolFamily.UNIX : null;
    return family == null ? SocketChannel.open() : SocketChannel.open(family);
  }

  SocketAddress socketAddress() {
    return isUnix() ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return text;
  }
}
