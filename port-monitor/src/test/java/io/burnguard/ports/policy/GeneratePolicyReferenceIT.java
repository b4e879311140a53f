package io.burnguard.ports.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.ports.testing.Tools;
import io.burnguard.ports.usb.UsbInventory;
import io.burnguard.ports.usb.UsbProblem;
import io.burnguard.ports.usb.UsbSnapshot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our {@code policy generate} against the real {@code usbguard generate-policy} on the same
 * umockdev testbed: hub, composite keyboard+storage, mass storage, two identical mice without a
 * serial, and a device with a bad device descriptor (both tools leave it out).
 */
class GeneratePolicyReferenceIT {
  @TempDir Path dir;

  @Test
  void sameRulesAsUsbguardOnTheStationTestbed() throws Exception {
    Testbed bed = Testbed.record(dir, "station.umockdev");
    UsbSnapshot snapshot = UsbInventory.at(bed.sysfs()).scan();

    String ours = PolicyGenerator.generate(snapshot.devices(), PolicyGenerator.Options.defaults());
    assertEquals(bed.usbguardPolicy(), ours);
    assertEquals(6, snapshot.devices().size(), ours);
    assertEquals(List.of("1-3"), snapshot.refused().stream().map(UsbProblem::port).toList());
    assertTrue(
        snapshot.refused().get(0).reason().contains("bLength 16"),
        snapshot.refused().get(0).reason());
  }

  @Test
  void sameRulesWithPortsAndWithoutHashes() throws Exception {
    Testbed bed = Testbed.record(dir, "station.umockdev", "-p", "-X", "-t", "block");
    UsbSnapshot snapshot = UsbInventory.at(bed.sysfs()).scan();

    String ours =
        PolicyGenerator.generate(
            snapshot.devices(), new PolicyGenerator.Options(true, true, false, Target.BLOCK));
    assertEquals(bed.usbguardPolicy(), ours);
  }

  /** A umockdev testbed, copied out after {@code usbguard generate-policy} ran inside it. */
  record Testbed(Path sysfs, String usbguardPolicy) {
    static Testbed record(Path dir, String recording, String... options) throws Exception {
      String umockdev = Tools.require("umockdev-run", "umockdev");
      String usbguard = Tools.require("usbguard", "usbguard");
      Path file = dir.resolve(recording);
      try (InputStream in =
          GeneratePolicyReferenceIT.class.getResourceAsStream("/umockdev/" + recording)) {
        Files.copy(in, file);
      }
      Path copy = dir.resolve("sys");
      String script =
          "\"$0\" generate-policy \"$@\" > \"$UMOCKDEV_OUT/usbguard.rules\" && cp -a"
              + " \"$UMOCKDEV_DIR/sys\" \"$UMOCKDEV_OUT/sys\"";
      List<String> command =
          new java.util.ArrayList<>(
              List.of(umockdev, "-d", file.toString(), "--", "sh", "-c", script, usbguard));
      command.addAll(List.of(options));
      Tools.Run run = Tools.run(dir, command, java.util.Map.of("UMOCKDEV_OUT", dir.toString()));
      assertEquals(0, run.exit(), run.stderr());
      return new Testbed(
          copy,
          Files.readString(
              dir.resolve("usbguard.rules"), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
  }
}
