package io.burnguard.agent.scan;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;

/**
 * BurnGuard's clamd client: PING, VERSION, RELOAD and INSTREAM over a Unix socket or TCP, one
 * connection per command, NUL-terminated z-commands (clamd(8)). Every call is bounded by {@link
 * ClamdSettings}' timeouts and fails with a {@link ScanException} whose reason says what went
 * wrong. Thread-safe: it holds no connection between calls.
 */
public final class ClamdClient {
  private final ClamdSettings settings;
  private final ZoneId clamdZone;

  /** A client for a clamd that runs in this machine's time zone. */
  public ClamdClient(ClamdSettings settings) {
    this(settings, ZoneId.systemDefault());
  }

  /**
   * A client; {@code clamdZone} is the daemon's time zone, in which VERSION prints the database
   * date.
   */
  public ClamdClient(ClamdSettings settings, ZoneId clamdZone) {
    this.settings = settings;
    this.clamdZone = clamdZone;
  }

  /** The settings in use. */
  public ClamdSettings settings() {
    return settings;
  }

  /** Checks that clamd answers. */
  public void ping() throws ScanException {
    ClamdReplies.checkPong(command("PING"), settings.address());
  }

  /** clamd's engine version and, when dated, its database version and date. */
  public ClamdVersion version() throws ScanException {
    return ClamdReplies.parseVersion(command("VERSION"), clamdZone, settings.address());
  }

  /**
   * Asks clamd to reload its databases. clamd answers at once and reloads in the background; poll
   * {@link #version()} to see the new database.
   */
  public void reload() throws ScanException {
    ClamdReplies.checkReloading(command("RELOAD"), settings.address());
  }

  /** Starts an INSTREAM to which the caller pushes bytes. */
  public InstreamSession openInstream() throws ScanException {
    ClamdConnection c = ClamdConnection.open(settings);
    try {
      c.sendCommand("INSTREAM");
    } catch (ClamdConnection.PeerClosed e) {
      c.close();
      throw closedEarly("INSTREAM", e);
    } catch (ScanException e) {
      c.close();
      throw e;
    }
    return new InstreamSession(settings, c);
  }

  /** Streams all of {@code in} to clamd and returns its verdict. */
  public ClamdResult scan(InputStream in) throws ScanException {
    try (InstreamSession s = openInstream()) {
      byte[] buf = new byte[settings.chunkSize()];
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          throw new ScanException(
              ScanException.Reason.SOURCE_UNREADABLE,
              "reading the data to scan failed after " + s.bytesSent() + " bytes: " + e,
              null,
              e);
        }
        if (n < 0) {
          return s.finish();
        }
        s.write(buf, 0, n);
      }
    }
  }

  private String command(String name) throws ScanException {
    try (ClamdConnection c = ClamdConnection.open(settings)) {
      try {
        c.sendCommand(name);
      } catch (ClamdConnection.PeerClosed e) {
        throw closedEarly(name, e);
      }
      return c.readReply();
    }
  }

  private ScanException closedEarly(String command, ClamdConnection.PeerClosed e) {
    return new ScanException(
        ScanException.Reason.CLOSED_EARLY,
        "clamd at "
            + settings.address()
            + " closed the connection on "
            + command
            + ": "
            + e.getMessage(),
        null,
        e);
  }
}
