package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fazecast.jSerialComm.SerialPort;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code burnguard station}: the line loop. Reads one barcode per line from a barcode scanner and
 * burns each unit on the fixture, printing PASS or FAIL and the reason, until the input ends or the
 * operator scans/types {@code quit}.
 *
 * <p>Scanners: a keyboard-wedge scanner types into standard input (the default); a serial scanner
 * is read through jSerialComm with {@code --scanner PORT}. Either way a line is one barcode; blank
 * lines and surrounding spaces are ignored. A refused or failed unit does not stop the loop; an
 * unreachable daemon does (exit 5), since nothing can be burned then.
 */
@Command(
    name = "station",
    mixinStandardHelpOptions = true,
    description = {
      "Station mode for the line: read barcodes from a scanner and burn each unit on the fixture,"
          + " printing PASS or FAIL for each (operator).",
      "A keyboard-wedge scanner types into standard input (default); give --scanner PORT for a"
          + " serial scanner. Scan or type `quit` (or end the input) to stop."
    })
final class StationCommand implements Callable<Integer> {
  @Option(names = "--fixture", required = true, paramLabel = "ID", description = "The fixture.")
  String fixture;

  @Option(
      names = "--order",
      paramLabel = "WO",
      description = "The work order (default: the one open for the fixture's model).")
  String order;

  @Option(names = "--scanner", paramLabel = "PORT", description = "Serial barcode scanner port.")
  String scanner;

  @Option(
      names = "--baud",
      defaultValue = "9600",
      description = "Serial scanner speed (default 9600).")
  int baud;

  @Mixin ClientOptions client;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SerialPort port = null;
    InputStream in = System.in;
    if (scanner != null) {
      port = SerialPort.getCommPort(scanner);
      port.setBaudRate(baud);
      port.setComPortTimeouts(SerialPort.TIMEOUT_READ_BLOCKING, 0, 0);
      if (!port.openPort()) {
        throw new CliException(
            ExitCode.DEVICE,
            "cannot open the barcode scanner on "
                + scanner
                + "; check the cable and that you are"
                + " in the dialout group");
      }
      in = port.getInputStream();
    }
    try {
      return loop(
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)), out, err);
    } finally {
      if (port != null) {
        port.closePort();
      }
    }
  }

  int loop(BufferedReader lines, PrintWriter out, PrintWriter err) throws IOException {
    int passed = 0;
    int failed = 0;
    out.println("station mode on fixture " + fixture + ": scan a unit's barcode (quit to stop)");
    out.flush();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      String barcode = line.strip();
      if (barcode.isEmpty()) {
        continue;
      }
      if (barcode.toLowerCase(Locale.ROOT).equals("quit")) {
        break;
      }
      ObjectNode a = Wire.object();
      a.put("fixture", fixture);
      a.put("barcode", barcode);
      if (order != null) {
        a.put("order", order);
      }
      Result r = Remote.call(client, Operation.BURN, a, out, err);
      out.println(BurnCommand.banner(r));
      out.flush();
      if (r.exit() == ExitCode.OK) {
        passed++;
      } else {
        failed++;
        if (r.exit() == ExitCode.UNAVAILABLE && r.message().contains("cannot reach")) {
          out.printf("stopped: %d passed, %d failed%n", passed, failed);
          return ExitCode.UNAVAILABLE.code();
        }
      }
      out.println("next unit:");
      out.flush();
    }
    out.printf("station mode ended: %d passed, %d failed%n", passed, failed);
    out.flush();
    return ExitCode.OK.code();
  }
}
