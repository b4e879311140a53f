package io.burnguard.agent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.ports.PortAlert;
import io.burnguard.agent.ports.PortEventRow;
import io.burnguard.ports.policy.Decision;
import io.burnguard.ports.serial.PortUser;
import io.burnguard.ports.serial.ProcScan;
import io.burnguard.ports.serial.SerialPort;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serial part of {@code ports} (issue 14): every serial port in the inventory and every
 * fixture's port (a pty has no sysfs entry but is still a fixture's port), each with the fixture
 * that uses it, the USB device it belongs to and that device's decision, the processes holding it
 * now (from {@code /proc}, never by opening it) and its last recorded use.
 */
final class SerialPortsReport {
  private final List<SerialPort> inventory;
  private final Map<String, Path> fixtures;
  private final List<Decision> usb;
  private final Map<String, PortEventRow> lastUse;
  private final ProcScan proc;

  /**
   * @param inventory the serial ports present
   * @param fixtures fixture id to its configured port
   * @param usb the USB decisions in force (empty without a monitor)
   * @param lastUse the newest serial-use row by device node
   * @param proc where holders are looked up
   */
  SerialPortsReport(
      List<SerialPort> inventory,
      Map<String, Path> fixtures,
      List<Decision> usb,
      Map<String, PortEventRow> lastUse,
      ProcScan proc) {
    this.inventory = inventory;
    this.fixtures = fixtures;
    this.usb = usb;
    this.lastUse = lastUse;
    this.proc = proc;
  }

  /** Fills {@code out} with one object per port, inventory first, then fixture-only ports. */
  void render(ArrayNode out) {
    Map<String, String> fixtureByNode = new LinkedHashMap<>();
    fixtures.forEach(
        (id, port) -> fixtureByNode.merge(real(port).toString(), id, (a, b) -> a + "," + b));
    List<String> shown = new ArrayList<>();
    for (SerialPort p : inventory) {
      String node = real(p.node()).toString();
      ObjectNode n = entry(out, p.name(), node);
      ArrayNode ids = n.putArray("byId");
      p.byId().forEach(l -> ids.add(l.toString()));
      n.put("driver", p.driver());
      if (p.usb() != null) {
        usb(n.putObject("usb"), p.usb());
      }
      // A fixture named by a by-id link or any other symlink resolves to the same node.
      String fixture = fixtureByNode.get(node);
      details(n, fixture, node);
      shown.add(node);
    }
    fixtureByNode.forEach(
        (node, id) -> {
          if (!shown.contains(node)) {
            ObjectNode n = entry(out, Path.of(node).getFileName().toString(), node);
            n.putArray("byId");
            n.put("driver", "");
            details(n, id, node);
          }
        });
  }

  private static ObjectNode entry(ArrayNode out, String name, String node) {
    ObjectNode n = out.addObject();
    n.put("name", name);
    n.put("node", node);
    return n;
  }

  private void usb(ObjectNode n, SerialPort.UsbParent parent) {
    n.put("port", parent.port());
    n.put("id", parent.id());
    n.put("serial", PortAlert.printable(parent.serial()));
    for (Decision d : usb) {
      if (d.device().port().equals(parent.port())) {
        n.put("action", d.target().keyword());
        n.put("line", d.line());
        n.put("rule", d.rule());
      }
    }
  }

  private void details(ObjectNode n, String fixture, String node) {
    if (fixture == null) {
      n.putNull("fixture");
    } else {
      n.put("fixture", fixture);
    }
    ArrayNode users = n.putArray("users");
    for (PortUser u : proc.openers(Path.of(node))) {
      ObjectNode o = users.addObject();
      o.put("pid", u.pid());
      o.put("command", PortAlert.printable(u.command()));
      o.put("user", u.user());
    }
    PortEventRow last = lastUse.get(node);
    if (last == null) {
      n.putNull("lastUse");
    } else {
      ObjectNode o = n.putObject("lastUse");
      o.put("at", last.at());
      o.put("action", last.action());
      o.put("detail", last.detail());
    }
  }

  /** The message of a serial-use event: the fixture, the port and who opened or held it. */
  static String describe(String fixture, Path device, List<PortUser> users, boolean atStart) {
    List<String> named = new ArrayList<>();
    for (PortUser u : users) {
      named.add(
          "PID " + u.pid() + " (" + PortAlert.printable(u.command()) + ", user " + u.user() + ")");
    }
    String who =
        named.isEmpty()
            ? "a process that closed it before it could be named"
            : String.join(", ", named);
    return "fixture "
        + fixture
        + " serial port "
        + device
        + (atStart ? " was already held when the daemon started by " : " was opened by ")
        + who;
  }

  /** The node with links resolved when it exists (by-id links, a fixture's symlink), else as is. */
  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}
