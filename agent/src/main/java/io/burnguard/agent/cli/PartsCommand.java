package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Wire;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code burnguard parts ...}: key storage parts (issue 15, docs/parts.md). */
@Command(
    name = "parts",
    mixinStandardHelpOptions = true,
    description =
        "Key storage parts: register, sanitize, scan, inventory, install, scrap, witness,"
            + " certificate, show.",
    subcommands = {
      PartsCommand.Register.class,
      PartsCommand.Sanitize.class,
      PartsCommand.Scan.class,
      PartsCommand.Inventory.class,
      PartsCommand.Install.class,
      PartsCommand.Scrap.class,
      PartsCommand.Witness.class,
      PartsCommand.Certificate.class,
      PartsCommand.Show.class
    })
final class PartsCommand {
  /** A subcommand about one part. */
  abstract static class OnePart extends RemoteCommand {
    @Parameters(paramLabel = "PART", description = "The part id (on its label).")
    String part;

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("part", part);
      return a;
    }
  }

  /** A subcommand about one part on a device. */
  abstract static class OnDevice extends OnePart {
    @Option(
        names = "--device",
        required = true,
        paramLabel = "PATH",
        description = "The block device, loop device or image file.")
    String device;

    @Override
    ObjectNode args() {
      return super.args().put("device", device);
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Register a key part (engineer); serial, model and capacity are read from the device.")
  static final class Register extends OnDevice {
    @Option(names = "--supplier", required = true, description = "One of parts.suppliers.")
    String supplier;

    @Option(names = "--lot", description = "The supplier's lot.")
    String lot = "";

    @Option(names = "--received", paramLabel = "DATE", description = "Received on (default today).")
    String received;

    @Override
    Operation op() {
      return Operation.PARTS_REGISTER;
    }

    @Override
    ObjectNode args() {
      ObjectNode a = super.args().put("supplier", supplier).put("lot", lot);
      return received == null ? a : a.put("received", received);
    }
  }

  @Command(
      name = "sanitize",
      mixinStandardHelpOptions = true,
      description =
          "Sanitize (Purge or Clear), verify and format a key part (engineer); prints the"
              + " certificate id. Progress with speed and ETA on stderr.")
  static final class Sanitize extends OnDevice {
    @Override
    Operation op() {
      return Operation.PARTS_SANITIZE;
    }
  }

  @Command(
      name = "scan",
      mixinStandardHelpOptions = true,
      description =
          "Virus-scan a key part's files and raw device through clamd (engineer); a detection"
              + " sends it back to RECEIVED.")
  static final class Scan extends OnDevice {
    @Override
    Operation op() {
      return Operation.PARTS_SCAN;
    }
  }

  @Command(
      name = "inventory",
      mixinStandardHelpOptions = true,
      description =
          "Parts expected here vs block devices present now, last seen, state (engineer, qa,"
              + " security); as a table, --json or --csv.")
  static final class Inventory extends RemoteCommand {
    @Option(names = "--csv", description = "Print CSV.")
    boolean csv;

    @Option(
        names = "--device",
        paramLabel = "PATH",
        description = "Also look at this image file or device node (repeatable).")
    List<String> devices = List.of();

    @Override
    Operation op() {
      return Operation.PARTS_INVENTORY;
    }

    @Override
    boolean json() {
      return !csv && super.json();
    }

    @Override
    ObjectNode args() {
      ObjectNode a = Wire.object();
      a.put("format", csv ? "CSV" : json() ? "JSON" : "TABLE");
      devices.forEach(a.putArray("devices")::add);
      return a;
    }
  }

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = "Record a sanitized key part installed into a unit (engineer).")
  static final class Install extends OnePart {
    @Option(names = "--unit", required = true, paramLabel = "BARCODE", description = "The unit.")
    String unit;

    @Override
    Operation op() {
      return Operation.PARTS_INSTALL;
    }

    @Override
    ObjectNode args() {
      return super.args().put("unit", unit);
    }
  }

  @Command(
      name = "scrap",
      mixinStandardHelpOptions = true,
      description =
          "Record a key part destroyed (engineer); it is SCRAPPED once security witnesses it.")
  static final class Scrap extends OnePart {
    @Option(
        names = "--method",
        required = true,
        paramLabel = "M",
        description = "shred, disintegrate, crush or incinerate.")
    String method;

    @Option(names = "--note", description = "e.g. the shredder's job number.")
    String note = "";

    @Override
    Operation op() {
      return Operation.PARTS_SCRAP;
    }

    @Override
    ObjectNode args() {
      return super.args().put("method", method).put("note", note);
    }
  }

  @Command(
      name = "witness",
      mixinStandardHelpOptions = true,
      description =
          "Witness a recorded scrapping (security, not the person who scrapped it): the part"
              + " becomes SCRAPPED.")
  static final class Witness extends OnePart {
    @Option(names = "--note", description = "What was seen.")
    String note = "";

    @Override
    Operation op() {
      return Operation.PARTS_WITNESS;
    }

    @Override
    ObjectNode args() {
      return super.args().put("note", note);
    }
  }

  @Command(
      name = "certificate",
      mixinStandardHelpOptions = true,
      description = "Print a part's newest certificate of sanitization (NIST SP 800-88 fields).")
  static final class Certificate extends OnePart {
    @Override
    Operation op() {
      return Operation.PARTS_CERTIFICATE;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Show one part: identity (with the USB device it sits on), state, certificate, last"
              + " sighting and its history.")
  static final class Show extends OnePart {
    @Override
    Operation op() {
      return Operation.PARTS_SHOW;
    }
  }
}
