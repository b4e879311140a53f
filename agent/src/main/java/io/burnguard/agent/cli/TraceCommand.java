package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code burnguard trace BARCODE}. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "A unit's full burn history, newest first: firmware, digest, signers, scan verdict,"
            + " station, fixture, port, operator, times, outcome, read-back; then the key parts"
            + " installed in it with their certificates (operator, qa).")
final class TraceCommand extends RemoteCommand {
  @Parameters(paramLabel = "BARCODE")
  String barcode;

  @Override
  Operation op() {
    return Operation.TRACE;
  }

  @Override
  ObjectNode args() {
    ObjectNode a = Wire.object();
    a.put("barcode", barcode);
    return a;
  }

  @Override
  void render(Result r, PrintWriter out) {
    JsonNode burns = r.data().path("burns");
    JsonNode parts = r.data().path("parts");
    if (burns.isEmpty()) {
      if (!r.message().isEmpty()) {
        out.println(Terminal.safe(r.message()));
      }
    }
    int i = 0;
    for (JsonNode b : burns) {
      out.printf("burn %d of %d for unit %s%n", ++i, burns.size(), Terminal.safe(barcode));
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        out.printf(
            "  %-18s %s%n",
            Terminal.safe(f.getKey()),
            Terminal.safe(
                f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
      }
    }
    for (JsonNode p : parts) {
      JsonNode c = p.path("certificate");
      // The serial comes from the device's descriptors: untrusted text.
      out.println(
          Terminal.safe(
              String.format(
                  java.util.Locale.ROOT,
                  "key part %s (%s, serial %s%s) %s; certificate %s",
                  p.path("id").asText(),
                  p.path("kind").asText(),
                  p.path("serial").asText("(none reported)"),
                  p.path("usb").isObject()
                      ? ", USB "
                          + p.path("usb").path("vendorId").asText()
                          + ":"
                          + p.path("usb").path("productId").asText()
                      : "",
                  p.path("state").asText(),
                  c.isMissingNode()
                      ? "(none)"
                      : c.path("certificateId").asText()
                          + ", "
                          + c.path("method").asText()
                          + ", "
                          + c.path("verificationResult").asText())));
    }
  }
}
