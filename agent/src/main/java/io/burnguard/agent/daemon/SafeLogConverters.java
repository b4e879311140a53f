package io.burnguard.agent.daemon;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.burnguard.config.UntrustedText;

/**
 * Logback converters that keep hostile text from forging or painting the log (issue 12.3). A log
 * message may quote a device's console, a server's reply or a request field; raw, a CR LF forges a
 * log line and an escape sequence repaints the terminal of whoever runs {@code tail -f agent.log}.
 * Both converters escape with {@link UntrustedText}, so the one neutraliser also guards the log:
 * {@code %msg} as a whole (a message is one log line), the exception text line by line. A message
 * without anything to escape is written unchanged, so text already escaped where it entered is not
 * escaped twice. Public only because logback.xml names them ({@code conversionRule}).
 */
public final class SafeLogConverters {
  /** Longest message kept; a longer one is cut and the cut counted. */
  static final int MAX_MESSAGE = 16_384;

  private SafeLogConverters() {}

  static String safe(String s) {
    return UntrustedText.problem(s, MAX_MESSAGE) == null
        ? s
        : UntrustedText.neutralize(s, MAX_MESSAGE);
  }

  /** {@code %msg}: the formatted message, escaped when it holds control characters. */
  public static final class Message extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return safe(super.convert(event));
    }
  }

  /** {@code %ex}: the stack trace, each line escaped when it holds control characters. */
  public static final class Throwable extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
      String[] lines = super.throwableProxyToString(tp).split("\n", -1);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          b.append('\n');
        }
        String l = lines[i];
        int indent = 0;
        while (indent < l.length() && l.charAt(indent) == '\t') {
          indent++; // logback indents frames with tabs; they are ours, not the exception's text
        }
        boolean cr = l.endsWith("\r") && l.length() > indent;
        String body = l.substring(indent, cr ? l.length() - 1 : l.length());
        b.append(l, 0, indent).append(safe(body)).append(cr ? "\r" : "");
      }
      return b.toString();
    }
  }
}
