package io.burnguard.agent.alerts;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every alert to syslog as an RFC 5424 message, for the plant's SIEM ({@code ports.syslog}:
 * {@code unix:/dev/log}, {@code udp://HOST:PORT} or {@code tcp://HOST:PORT}).
 *
 * <p>Format: facility auth (4); severity crit (2), warning (4) or info (6) for {@link
 * Severity#CRITICAL}, {@link Severity#WARNING} and {@link Severity#INFO}; APP-NAME {@code
 * burnguard}; MSGID the alert's kind; structured data {@code [burnguard@32473 station=".."
 * alert=".." severity=".."]} (32473 is RFC 5612's documentation enterprise number); the message in
 * UTF-8 after a BOM. TCP frames with octet counting (RFC 6587). Delivery is best effort: the alert
 * is already stored and chained; a failure is logged and never stops the daemon.
 */
public final class SyslogSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyslogSender.class);
  private static final int FACILITY_AUTH = 4;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);

  private final String target;
  private final String station;
  private final String hostname;
  private final Clock clock;
  private final java.util.concurrent.ExecutorService worker =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "syslog");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param target {@code ports.syslog}
   * @param station the station id, in the structured data
   * @param hostname the HOSTNAME field
   */
  public SyslogSender(String target, String station, String hostname, Clock clock) {
    this.target = Objects.requireNonNull(target, "target");
    this.station = Objects.requireNonNull(station, "station");
    this.hostname = Objects.requireNonNull(hostname, "hostname");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Queues one alert for sending on the sender's own thread, so a slow syslog server never delays a
   * port decision.
   */
  public void sendLater(Alert a) {
    try {
      worker.execute(() -> send(a));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.error("alert {} not sent to syslog: the sender is closed", a.id());
    }
  }

  /** Sends what is queued (for at most 5 s), then stops. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends one alert now; logs and returns false when syslog does not take it. */
  public boolean send(Alert a) {
    byte[] msg = format(a);
    try {
      if (target.startsWith("unix:")) {
        UnixDatagram.send(target.substring("unix:".length()), msg);
      } else {
        URI u = URI.create(target);
        InetSocketAddress to = new InetSocketAddress(u.getHost(), u.getPort());
        if ("udp".equals(u.getScheme())) {
          try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(msg, msg.length, to));
          }
        } else {
          try (Socket s = new Socket()) {
            s.connect(to, 2000);
            OutputStream out = s.getOutputStream();
            out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(msg);
            out.flush();
          }
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      log.error("cannot send alert {} to syslog at {}: {}", a.id(), target, e.getMessage());
      return false;
    }
  }

  /** The RFC 5424 message for {@code a}. */
  byte[] format(Alert a) {
    int severity =
        switch (a.severity()) {
          case CRITICAL -> 2;
          case WARNING -> 4;
          case INFO -> 6;
        };
    String header =
        "<"
            + (FACILITY_AUTH * 8 + severity)
            + ">1 "
            + TIME.format(
                clock.instant().truncatedTo(ChronoUnit.MILLIS).atOffset(java.time.ZoneOffset.UTC))
            + " "
            + field(hostname, 255)
            + " burnguard "
            + ProcessHandle.current().pid()
            + " "
            + field(a.kind(), 32)
            + " [burnguard@32473 station=\""
            + param(station)
            + "\" alert=\""
            + a.id()
            + "\" severity=\""
            + a.severity()
            + "\"] ";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    byte[] m = a.message().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[h.length + 3 + m.length];
    System.arraycopy(h, 0, out, 0, h.length);
    out[h.length] = (byte) 0xEF;
    out[h.length + 1] = (byte) 0xBB;
    out[h.length + 2] = (byte) 0xBF;
    System.arraycopy(m, 0, out, h.length + 3, m.length);
    return out;
  }

  /** A header field: printable US-ASCII without spaces, at most {@code max}, or {@code -}. */
  static String field(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (b.length() == max) {
        break;
      }
      b.append(c > 32 && c < 127 ? c : '_');
    }
    return b.length() == 0 ? "-" : b.toString();
  }

  /** A PARAM-VALUE: {@code "}, {@code \} and {@code ]} escaped with a backslash. */
  static String param(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
  }
}
