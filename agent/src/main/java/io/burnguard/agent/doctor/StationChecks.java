package io.burnguard.agent.doctor;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.config.StationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fixtures' ports and the port policy mode (docs/decisions.md, "Doctor"). */
final class StationChecks {
  private StationChecks() {}

  /**
   * Every fixture's port exists now (a {@code /dev/serial/by-id/...} link is followed: the device
   * behind it must be plugged in). A port that is not a path (e.g. a network endpoint) is listed as
   * not checked.
   */
  static Check fixturePorts(List<StationConfig.Fixture> fixtures) {
    if (fixtures.isEmpty()) {
      return Check.warn(
          "ports",
          "no fixtures are configured, so nothing can be burned on this station",
          "add the station's fixtures to station.yaml (fixtures:)");
    }
    List<String> present = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (StationConfig.Fixture f : fixtures) {
      String port = f.port();
      if (!port.startsWith("/")) {
        present.add(f.id() + " " + port + " (not a device path; not checked)");
      } else if (Files.exists(Path.of(port))) {
        present.add(f.id() + " " + port);
      } else {
        missing.add(
            String.format(Locale.ROOT, "fixture %s: port %s does not exist", f.id(), f.port()));
      }
    }
    if (missing.isEmpty()) {
      return Check.ok("ports", "present: " + String.join(", ", present));
    }
    return Check.fail(
        "ports",
        String.join("; ", missing)
            + (present.isEmpty() ? "" : "; present: " + String.join(", ", present)),
        "plug in the fixture's burner (check `ls -l /dev/serial/by-id/`) or correct"
            + " fixtures[].port in station.yaml",
        ExitCode.DEVICE);
  }

  /** The port policy: enforce is the posture the docs ask for; monitor and off are reported. */
  static Check portPolicy(StationConfig.Ports ports) {
    String rules = ports.rulesFile() == null ? "no rules file" : "rules " + ports.rulesFile();
    if (ports.rulesFile() != null && !Files.isRegularFile(ports.rulesFile())) {
      return Check.fail(
          "port-policy",
          "ports.rulesFile " + ports.rulesFile() + " does not exist or is not a regular file",
          "install the port rules there or remove ports.rulesFile",
          ExitCode.USAGE);
    }
    return switch (ports.mode()) {
      case ENFORCE -> Check.ok("port-policy", "ports.mode enforce (" + rules + ")");
      case MONITOR ->
          Check.warn(
              "port-policy",
              "ports.mode monitor ("
                  + rules
                  + "): devices the rules do not allow are alerted,"
                  + " not blocked",
              "set ports.mode: enforce once the rules list every device the line needs");
      case OFF ->
          Check.warn(
              "port-policy",
              "ports.mode off: USB and serial ports are not watched",
              "set ports.mode: monitor, then enforce");
    };
  }
}
