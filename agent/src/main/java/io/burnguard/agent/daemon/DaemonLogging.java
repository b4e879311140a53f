package io.burnguard.agent.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon logs at INFO to stderr (the journal under systemd) and to a rotating file in the data
 * directory, so {@code doctor} and error replies can point at a log that exists on every station,
 * systemd or not. The CLI keeps logback.xml's quiet default.
 */
final class DaemonLogging {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n%ex";

  /** agent.log: the daemon's user writes, its group (adm-style readers) reads, others nothing. */
  static final String LOG_MODE = "rw-r-----";

  /** The log directory: only the daemon's user and group may list it. */
  static final String LOG_DIR_MODE = "rwxr-x---";

  private DaemonLogging() {}

  static void toFile(Path logDir) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    if (System.getProperty("burnguard.log.level") == null) {
      root.setLevel(Level.INFO);
    }
    if (root.getAppender("FILE") != null) {
      return;
    }
    Path file = logDir.resolve("agent.log");
    try {
      Files.createDirectories(logDir);
      // Set explicitly: a daemon started outside systemd with umask 022 would leave the log
      // world-readable (issue 12.10). Rolled files are renamed from agent.log and keep its mode;
      // the directory mode covers the file logback recreates after a roll.
      Files.setPosixFilePermissions(logDir, PosixFilePermissions.fromString(LOG_DIR_MODE));
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.createFile(
            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(LOG_MODE)));
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(LOG_MODE));
    } catch (IOException e) {
      LoggerFactory.getLogger(DaemonLogging.class)
          .warn("cannot create {}: {}; logging to stderr only", logDir, e.getMessage());
      return;
    }
    PatternLayout layout = new PatternLayout();
    layout.setContext(ctx);
    layout.setPattern(PATTERN);
    // The file log escapes hostile text whatever logback.xml says (issue 12.3).
    layout.getInstanceConverterMap().put("msg", SafeLogConverters.Message::new);
    layout.getInstanceConverterMap().put("ex", SafeLogConverters.Throwable::new);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
    enc.setContext(ctx);
    enc.setLayout(layout);
    enc.start();
    RollingFileAppender<ILoggingEvent> app = new RollingFileAppender<>();
    app.setContext(ctx);
    app.setName("FILE");
    app.setFile(file.toString());
    FixedWindowRollingPolicy roll = new FixedWindowRollingPolicy();
    roll.setContext(ctx);
    roll.setParent(app);
    roll.setFileNamePattern(logDir.resolve("agent.%i.log").toString());
    roll.setMinIndex(1);
    roll.setMaxIndex(5);
    roll.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trig = new SizeBasedTriggeringPolicy<>();
    trig.setContext(ctx);
    trig.setMaxFileSize(FileSize.valueOf("10MB"));
    trig.start();
    app.setRollingPolicy(roll);
    app.setTriggeringPolicy(trig);
    app.setEncoder(enc);
    app.start();
    root.addAppender(app);
  }
}
