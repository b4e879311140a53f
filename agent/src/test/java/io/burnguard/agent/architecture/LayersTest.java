package io.burnguard.agent.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.architecture.SourceScanner.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of the agent module (docs/decisions.md, "Layers inside agent"), checked on its main
 * sources. Top first: the CLI drives everything; the daemon wires the capabilities to the control
 * socket; the capabilities use the transport, the database and the shared vocabulary; those three
 * know nothing above them.
 */
class LayersTest {
  static final LayerRules AGENT =
      new LayerRules(
          List.of(
              Set.of("cli"),
              Set.of("daemon"),
              // burn (the burn pipeline) and fixtures (driver settings checks) are capabilities
              // too; they arrive with the branches that split BurnOps and check fixtures.
              Set.of(
                  "doctor",
                  "ledger",
                  "orders",
                  "alerts",
                  "audit",
                  "scan",
                  "vetting",
                  "burn",
                  "fixtures",
                  "parts",
                  "fleet",
                  "ports"),
              Set.of("control"),
              Set.of("db", "contract")));

  private static final Path MAIN = Path.of("src/main/java/io/burnguard/agent");

  @Test
  void noPackageRefersToALayerAboveIt() throws IOException {
    List<Reference> refs = scan(MAIN);
    assertTrue(refs.size() > 100, "too few references found; is " + MAIN + " the agent's source?");
    assertEquals(List.of(), AGENT.violations(refs));
  }

  @Test
  void theLowerLayersReallyAreUsedFromAbove() throws IOException {
    // Guards the scan itself: the known downward references must be seen.
    List<Reference> refs = scan(MAIN);
    assertTrue(has(refs, "cli", "daemon"), "cli -> daemon not seen");
    assertTrue(has(refs, "daemon", "control"), "daemon -> control not seen");
    assertTrue(has(refs, "control", "contract"), "control -> contract not seen");
  }

  private static boolean has(List<Reference> refs, String from, String to) {
    String f = SourceScanner.ROOT + "." + from;
    String t = SourceScanner.ROOT + "." + to;
    return refs.stream().anyMatch(r -> r.from().equals(f) && r.to().equals(t));
  }

  static List<Reference> scan(Path root) throws IOException {
    List<Reference> refs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String source = Files.readString(f, StandardCharsets.UTF_8);
        refs.addAll(SourceScanner.references(root.relativize(f).toString(), source));
      }
    }
    return refs;
  }
}
