package io.burnguard.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** Issue 12.3: a hostile message cannot forge a log line or paint the terminal tailing the log. */
class SafeLogConvertersTest {
  private static LoggingEvent event(String msg, Throwable t) {
    LoggerContext ctx = new LoggerContext();
    return new LoggingEvent(
        "x", ctx.getLogger("test"), Level.WARN, "device said {}", t, new Object[] {msg});
  }

  @Test
  void controlsInTheMessageAreEscaped() {
    String line =
        new SafeLogConverters.Message()
            .convert(event("\u001b[32mPASS\r\n2026-11-30 INFO forged", null));
    assertEquals("device said \\x1B[32mPASS\\r\\n2026-11-30 INFO forged", line);
  }

  @Test
  void aCleanMessageIsUnchanged() {
    assertEquals(
        "device said crc32 \\x1B ok",
        new SafeLogConverters.Message().convert(event("crc32 \\x1B ok", null)));
  }

  @Test
  void anExceptionMessageIsEscapedButFramesKeepTheirTabs() {
    SafeLogConverters.Throwable c = new SafeLogConverters.Throwable();
    c.start();
    String s = c.convert(event("x", new IllegalStateException("bad \u001b]0;owned\u0007")));
    assertTrue(s.contains("bad \\x1B]0;owned\\x07"), s);
    assertTrue(s.contains("\n\tat "), s);
    assertTrue(s.chars().noneMatch(ch -> ch == 0x1b || ch == 0x07), s);
  }
}
