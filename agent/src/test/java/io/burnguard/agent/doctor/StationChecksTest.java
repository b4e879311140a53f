package io.burnguard.agent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.config.StationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StationChecksTest {
  @TempDir Path tmp;

  private static StationConfig.Fixture fixture(String id, String port) {
    return new StationConfig.Fixture(id, "uboot-serial", port, "IPC-X1", Map.of());
  }

  @Test
  void portPolicyModes() throws Exception {
    Check enforce =
        StationChecks.portPolicy(new StationConfig.Ports(StationConfig.PortMode.ENFORCE, null));
    assertEquals(Check.Status.OK, enforce.status());
    Check monitor =
        StationChecks.portPolicy(new StationConfig.Ports(StationConfig.PortMode.MONITOR, null));
    assertEquals(Check.Status.WARN, monitor.status());
    assertTrue(monitor.fix().contains("ports.mode: enforce"), monitor.fix());
    Check off = StationChecks.portPolicy(new StationConfig.Ports(StationConfig.PortMode.OFF, null));
    assertEquals(Check.Status.WARN, off.status());
    assertTrue(off.detail().contains("not watched"), off.detail());

    Path rules = tmp.resolve("ports.rules");
    Check missing =
        StationChecks.portPolicy(new StationConfig.Ports(StationConfig.PortMode.ENFORCE, rules));
    assertEquals(Check.Status.FAIL, missing.status());
    assertEquals(ExitCode.USAGE, missing.exit());
    assertTrue(missing.detail().contains(rules.toString()), missing.detail());
    Files.writeString(rules, "");
    assertEquals(
        Check.Status.OK,
        StationChecks.portPolicy(new StationConfig.Ports(StationConfig.PortMode.ENFORCE, rules))
            .status());
  }

  @Test
  void fixturePortsPresentMissingOrNone() throws Exception {
    Path tty = Files.createFile(tmp.resolve("ttyUSB0"));
    Path link = Files.createSymbolicLink(tmp.resolve("by-id-link"), tty);
    Check ok = StationChecks.fixturePorts(List.of(fixture("fx1", tty.toString())));
    assertEquals(Check.Status.OK, ok.status(), ok.detail());
    Check viaLink = StationChecks.fixturePorts(List.of(fixture("fx1", link.toString())));
    assertEquals(Check.Status.OK, viaLink.status(), viaLink.detail());

    Files.delete(tty);
    Check dangling =
        StationChecks.fixturePorts(
            List.of(fixture("fx1", link.toString()), fixture("fx2", "tcp:10.0.0.2")));
    assertEquals(Check.Status.FAIL, dangling.status());
    assertEquals(ExitCode.DEVICE, dangling.exit());
    assertTrue(dangling.detail().contains("fixture fx1: port " + link), dangling.detail());
    assertTrue(
        dangling.detail().contains("fx2 tcp:10.0.0.2 (not a device path"), dangling.detail());

    assertEquals(Check.Status.WARN, StationChecks.fixturePorts(List.of()).status());
  }
}
