package io.burnguard.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code burnguard fleet ...} in-process as one role of a private PostgreSQL. */
final class FleetCli {
  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }

    JsonNode okJson() throws Exception {
      assertEquals(0, exit, out + err);
      return json();
    }
  }

  private FleetCli() {}

  static Run run(PrivatePostgres pg, String role, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--url", pg.url(),
            "--role", role,
            "--cert", pg.certs.resolve(role + ".pem").toString(),
            "--key", pg.certs.resolve(role + ".pk8").toString(),
            "--ca", pg.certs.resolve("ca.pem").toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }
}
