package io.burnguard.agent.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.architecture.SourceScanner.Reference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scanner and the rules on synthetic sources: each rule can fail, and says where. */
class LayerRulesTest {
  private final List<Reference> refs = new ArrayList<>();

  private void source(String file, String text) {
    refs.addAll(SourceScanner.references(file, text));
  }

  @Test
  void aLowerPackageImportingCliFails() {
    source(
        "control/Bad.java",
        "package io.burnguard.agent.control;\n\nimport io.burnguard.agent.cli.Main;\nclass Bad {}\n");
    List<String> v = LayersTest.AGENT.violations(refs);
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).startsWith("control/Bad.java:3: io.burnguard.agent.control"), v.get(0));
    assertTrue(
        v.get(0).contains("refers to io.burnguard.agent.cli (layer [cli], above it)"), v.get(0));
  }

  @Test
  void aCapabilityNamingTheDaemonInCodeFails() {
    source(
        "vetting/fetch/Bad.java",
        "package io.burnguard.agent.vetting.fetch;\nclass Bad {\n"
            + "  int x = io.burnguard.agent.daemon.Daemon.DATABASE_FILE.length();\n"
            + "  void f() { io.burnguard.agent.cli.Main.main(null); }\n}\n");
    source(
        "contract/Bad.java",
        "package io.burnguard.agent.contract;\nimport static io.burnguard.agent.control.Wire.object;\n");
    List<String> v = LayersTest.AGENT.violations(refs);
    assertEquals(3, v.size(), v.toString());
    assertTrue(v.get(0).contains("vetting/fetch/Bad.java:3:"), v.get(0));
    assertTrue(v.get(0).contains("refers to io.burnguard.agent.daemon"), v.get(0));
    assertTrue(v.get(1).contains("vetting/fetch/Bad.java:4:"), v.get(1));
    assertTrue(v.get(2).contains("contract/Bad.java:2:"), v.get(2));
    assertTrue(v.get(2).contains("refers to io.burnguard.agent.control"), v.get(2));
  }

  @Test
  void downwardAndSameLayerReferencesPass() {
    source(
        "cli/Ok.java",
        "package io.burnguard.agent.cli;\nimport io.burnguard.agent.daemon.Daemon;\n"
            + "import io.burnguard.agent.contract.*;\nimport io.burnguard.agent.cli.Other;\n");
    source(
        "ledger/Ok.java",
        "package io.burnguard.agent.ledger;\nimport io.burnguard.agent.alerts.Alert;\n"
            + "import io.burnguard.agent.vetting.server.Tls;\n");
    assertEquals(List.of(), LayersTest.AGENT.violations(refs));
    assertEquals(4, refs.size(), refs.toString());
  }

  @Test
  void commentsAndLiteralsAreNotReferences() {
    source(
        "control/Doc.java",
        "package io.burnguard.agent.control;\n"
            + "/** See {@link io.burnguard.agent.cli.Main}. */\n"
            + "// import io.burnguard.agent.daemon.Daemon;\n"
            + "class Doc {\n  String s = \"io.burnguard.agent.cli.Main\";\n  char c = '\\'';\n"
            + "  String t = \"\"\"\n    io.burnguard.agent.daemon.Daemon\n    \"\"\";\n"
            + "  Object o = io.burnguard.agent.cli.Main.class;\n}\n");
    List<String> v = LayersTest.AGENT.violations(refs);
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).startsWith("control/Doc.java:10:"), v.get(0));
  }

  @Test
  void aPackageInNoLayerFails() {
    source(
        "newcap/New.java",
        "package io.burnguard.agent.newcap;\nimport io.burnguard.agent.db.Database;\n");
    assertEquals(
        List.of(
            "package io.burnguard.agent.newcap is in no layer; add it to the layers of LayersTest"),
        LayersTest.AGENT.violations(refs));
  }

  @Test
  void aCycleWithinALayerFails() {
    source(
        "alerts/A.java",
        "package io.burnguard.agent.alerts;\nimport io.burnguard.agent.ledger.L;\n");
    source(
        "ledger/L.java",
        "package io.burnguard.agent.ledger;\nimport io.burnguard.agent.alerts.A;\n");
    List<String> v = LayersTest.AGENT.violations(refs);
    assertEquals(1, v.size(), v.toString());
    assertTrue(
        v.get(0)
            .startsWith(
                "package cycle: io.burnguard.agent.alerts -> io.burnguard.agent.ledger"
                    + " (alerts/A.java:2) -> io.burnguard.agent.alerts (ledger/L.java:2)"),
        v.get(0));
  }
}
