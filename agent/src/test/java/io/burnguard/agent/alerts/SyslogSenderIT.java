package io.burnguard.agent.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts arrive at a real rsyslogd as RFC 5424 over each transport. */
class SyslogSenderIT {
  @TempDir Path tmp;

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-30T10:15:30.123Z"), ZoneOffset.UTC);

  private static Alert alert(long id, Severity s, String message) {
    return new Alert(
        id, "2026-11-30T10:15:30.123Z", s, "port.unknown-storage", message, null, null, null);
  }

  @Test
  void everyTransportDeliversAnRfc5424Message() throws Exception {
    try (RsyslogFixture rs = RsyslogFixture.start(tmp)) {
      String[] targets = {
        "unix:" + rs.unixSocket(),
        "udp://127.0.0.1:" + rs.udpPort(),
        "tcp://127.0.0.1:" + rs.tcpPort()
      };
      for (int i = 0; i < targets.length; i++) {
        SyslogSender s = new SyslogSender(targets[i], "line3-st\"7]", "station-host", CLOCK);
        assertTrue(s.send(alert(40 + i, Severity.CRITICAL, "unknown mass storage via " + i)));
        String line = rs.awaitLine("unknown mass storage via " + i);
        assertNotNull(line, targets[i] + " did not arrive; received:\n" + rs.received());
        // auth (4) * 8 + crit (2) = 34; version 1; then HOSTNAME APP-NAME PROCID MSGID SD.
        assertTrue(
            line.matches(
                "<34>1 \\S+ station-host burnguard "
                    + ProcessHandle.current().pid()
                    + " port\\.unknown-storage \\[burnguard@32473 station=\"line3-st\\\\\"7\\\\]\""
                    + " alert=\""
                    + (40 + i)
                    + "\" severity=\"CRITICAL\"\\] \uFEFFunknown mass storage via "
                    + i),
            targets[i] + ": " + line);
      }
      // UDP and TCP keep the sender's timestamp (the unix socket stamps its own by default).
      assertTrue(rs.received().contains(" 2026-11-30T10:15:30.123Z station-host "), rs.received());
    }
  }

  @Test
  void severityMapsToSyslogSeverity() {
    SyslogSender s = new SyslogSender("udp://127.0.0.1:9", "st", "h", CLOCK);
    assertEquals(
        "<38>1 ",
        new String(
            s.format(alert(1, Severity.INFO, "m")),
            0,
            6,
            java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(
        "<36>1 ",
        new String(
            s.format(alert(1, Severity.WARNING, "m")),
            0,
            6,
            java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void anUnreachableTargetIsLoggedNotThrown() {
    SyslogSender s = new SyslogSender("unix:" + tmp.resolve("nobody-listens"), "st", "h", CLOCK);
    assertFalse(s.send(alert(1, Severity.CRITICAL, "m")));
  }
}
