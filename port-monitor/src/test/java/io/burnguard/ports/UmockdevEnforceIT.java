package io.burnguard.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.ports.testing.Tools;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port monitor in a JVM running under {@code umockdev-run}: it sees the recording as /sys,
 * computes the same rules as {@code usbguard generate-policy} in the same testbed, and enforces
 * into the testbed's sysfs.
 */
class UmockdevEnforceIT {
  @TempDir Path dir;

  Tools.Run underTestbed(List<String> command) throws Exception {
    String umockdev = Tools.require("umockdev-run", "umockdev");
    Path rec = dir.resolve("station.umockdev");
    if (!Files.exists(rec)) {
      try (InputStream in = getClass().getResourceAsStream("/umockdev/station.umockdev")) {
        Files.copy(in, rec);
      }
    }
    List<String> full = new java.util.ArrayList<>(List.of(umockdev, "-d", rec.toString(), "--"));
    full.addAll(command);
    Tools.Run run = Tools.run(dir, full);
    assertEquals(0, run.exit(), run.stdout() + run.stderr());
    return run;
  }

  List<String> probe(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> c =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.burnguard.ports.testing.UmockdevProbe"));
    c.addAll(List.of(args));
    return c;
  }

  @Test
  void theJvmUnderUmockdevGeneratesWhatUsbguardGenerates() throws Exception {
    String usbguard = Tools.require("usbguard", "usbguard");
    String theirs = underTestbed(List.of(usbguard, "generate-policy")).stdout();
    String ours = underTestbed(probe("generate")).stdout();
    assertEquals(theirs, ours);
  }

  @Test
  void enforceWritesIntoTheTestbed() throws Exception {
    Path rules = dir.resolve("rules.conf");
    Files.writeString(
        rules,
        "allow id 1d6b:0002\nallow id 05e3:0608\n"
            + "allow id 1234:5678 ; interfaces { 03:*:* }\n"
            + "allow with-interface equals { 03:01:02 } ; max-present 1\n"
            + "block with-interface one-of { 08:*:* }\n",
        StandardCharsets.ISO_8859_1);

    String out = underTestbed(probe("enforce", rules.toString())).stdout();

    Set<String> lines = new TreeSet<>(out.lines().toList());
    assertTrue(lines.contains("authorized_default usb1 0"), out);
    assertTrue(lines.contains("event 1-2 PRESENT block 5 applied=true"), out);
    assertTrue(lines.contains("authorized 1-2 0"), out);
    assertTrue(lines.contains("event 1-1.1 PRESENT allow 3 applied=true"), out);
    assertTrue(lines.contains("authorized 1-1.1:1.0 1"), out);
    assertTrue(lines.contains("authorized 1-1.1:1.1 0"), out);
    assertTrue(lines.contains("event 1-1.2 PRESENT allow 4 applied=true"), out);
    assertTrue(lines.contains("event 1-1.3 PRESENT block 0 applied=true"), "second mouse: " + out);
    assertTrue(lines.contains("authorized 1-1.3 0"), out);
    assertTrue(lines.contains("event 1-3 REFUSED - applied=true"), out);
    assertTrue(lines.contains("authorized 1-3 0"), out);
  }

  @Test
  void monitorModeLeavesTheTestbedAsRecorded() throws Exception {
    Path rules = dir.resolve("rules.conf");
    Files.writeString(rules, "block\n", StandardCharsets.ISO_8859_1);

    String out = underTestbed(probe("monitor", rules.toString())).stdout();

    assertTrue(out.contains("event 1-2 PRESENT block 1 applied=false"), out);
    assertTrue(out.contains("authorized_default usb1 1"), out);
    out.lines()
        .filter(l -> l.startsWith("authorized "))
        .forEach(l -> assertTrue(l.endsWith(" 1"), l));
  }
}
