package io.burnguard.agent.cli;

import io.burnguard.config.ConfigException;
import io.burnguard.config.StationConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the CLI finds the daemon: {@code --socket}, else {@code $BURNGUARD_SOCKET}, else the socket
 * named in the station config ({@code --config}, {@code $BURNGUARD_CONFIG} or
 * /etc/burnguard/station.yaml), else the default /run/burnguard/control.sock.
 */
public final class ClientOptions {
  static final Path DEFAULT_CONFIG = Path.of("/etc/burnguard/station.yaml");
  static final Path DEFAULT_SOCKET = Path.of("/run/burnguard/control.sock");

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Station config, used to find the daemon's socket (default: $BURNGUARD_CONFIG or"
              + " /etc/burnguard/station.yaml).")
  Path config;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "The daemon's control socket (default: from the station config).")
  Path socket;

  /** The config file to use. */
  Path configFile() {
    if (config != null) {
      return config;
    }
    String env = System.getenv("BURNGUARD_CONFIG");
    return env != null && !env.isEmpty() ? Path.of(env) : DEFAULT_CONFIG;
  }

  private Path resolved;

  /**
   * The socket to connect to, resolved once per run: station mode asks for every unit, and the
   * config is read only the first time.
   */
  Path socketPath() {
    if (resolved == null) {
      resolved = resolveSocket();
    }
    return resolved;
  }

  private Path resolveSocket() {
    if (socket != null) {
      return socket;
    }
    String env = System.getenv("BURNGUARD_SOCKET");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    Path cfg = configFile();
    if (Files.isReadable(cfg)) {
      try {
        return StationConfigLoader.load(cfg).station().socket();
      } catch (ConfigException e) {
        // An invalid config must not hide the daemon; doctor reports the config itself.
        return DEFAULT_SOCKET;
      }
    }
    return DEFAULT_SOCKET;
  }
}
