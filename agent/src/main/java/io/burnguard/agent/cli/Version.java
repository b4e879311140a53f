package io.burnguard.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The Maven version and the commit the build was made from, read from {@code version.properties}
 * that Maven's resource filtering fills in (agent/pom.xml). A build from a source tarball has no
 * commit, and says so instead of printing a placeholder.
 */
final class Version implements IVersionProvider {
  static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"BurnGuard " + describe(load())};
  }

  /** "0.1.0 (commit 1a2b3c4d5e6f)", or "0.1.0 (unknown commit)" for a build without git. */
  static String describe(Properties p) {
    String version = filled(p.getProperty("version"));
    String commit = filled(p.getProperty("commit"));
    String v = version == null ? "development build" : version;
    if (commit == null) {
      return v + " (unknown commit)";
    }
    return v + " (commit " + commit + ")";
  }

  /** The value, or null when absent, blank or still the unfilled Maven placeholder. */
  private static String filled(String value) {
    if (value == null || value.isBlank() || value.contains("${")) {
      return null;
    }
    return value.strip();
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build's " + RESOURCE, e);
    }
    return p;
  }
}
