package io.burnguard.agent.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon logs at INFO to stderr (the journal under systemd) and to a rotating file in the data
 * directory, so {@code doctor} and error replies can point at a log that exists on every station,
 * systemd or not. The CLI keeps logback.xml's quiet default.
 */
final class DaemonLogging {
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";

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
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      LoggerFactory.getLogger(DaemonLogging.class)
          .warn("cannot create {}: {}; logging to stderr only", logDir, e.getMessage());
      return;
    }
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern(PATTERN);
    enc.start();
    RollingFileAppender<ILoggingEvent> app = new RollingFileAppender<>();
    app.setContext(ctx);
    app.setName("FILE");
    app.setFile(logDir.resolve("agent.log").toString());
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
