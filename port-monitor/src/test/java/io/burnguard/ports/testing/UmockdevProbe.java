package io.burnguard.ports.testing;

import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.PortEvent;
import io.burnguard.ports.PortMonitor;
import io.burnguard.ports.policy.PolicyGenerator;
import io.burnguard.ports.policy.UsbPolicy;
import io.burnguard.ports.usb.UsbInventory;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs inside {@code umockdev-run} (a JVM whose /sys is the testbed), for the umockdev ITs: {@code
 * generate} prints our policy for /sys; {@code enforce RULES} or {@code monitor RULES} runs the
 * port monitor on /sys and prints one line per event, then each device's authorized value as the
 * testbed now holds it.
 */
public final class UmockdevProbe {
  private UmockdevProbe() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.ISO_8859_1);
    Path sys = Path.of("/sys");
    if (args[0].equals("generate")) {
      out.print(
          PolicyGenerator.generate(
              UsbInventory.at(sys).scan().devices(), PolicyGenerator.Options.defaults()));
      return;
    }
    PortMode mode = args[0].equals("enforce") ? PortMode.ENFORCE : PortMode.MONITOR;
    PortMonitor m =
        PortMonitor.builder()
            .sysfsRoot(sys)
            .mode(mode)
            .policy(UsbPolicy.load(Path.of(args[1])))
            .build();
    List<PortEvent> events = m.start();
    for (PortEvent e : events) {
      out.println(
          "event "
              + e.port()
              + " "
              + e.kind()
              + " "
              + (e.decision() == null
                  ? "-"
                  : e.decision().target().keyword() + " " + e.decision().line())
              + " applied="
              + e.applied());
    }
    try (var entries = Files.newDirectoryStream(sys.resolve("bus/usb/devices"))) {
      for (Path p : entries) {
        Path a = p.resolve("authorized");
        if (Files.exists(a)) {
          out.println("authorized " + p.getFileName() + " " + Files.readString(a).trim());
        }
      }
    }
    Path d = sys.resolve("devices/pci0000:00/0000:00:14.0/usb1/authorized_default");
    out.println("authorized_default usb1 " + Files.readString(d).trim());
  }
}
