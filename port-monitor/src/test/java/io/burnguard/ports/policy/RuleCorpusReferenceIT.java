package io.burnguard.ports.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.ports.testing.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus rule through the real {@code usbguard-rule-parser}: it must accept what the corpus
 * says USBGuard accepts and refuse the rest at the same column as we do.
 */
class RuleCorpusReferenceIT {
  private static final Pattern POSITION = Pattern.compile("<argv>:1:(\\d+):");

  @TempDir Path dir;

  static Stream<Corpus> corpus() throws Exception {
    return Corpus.load().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void usbguardAgrees(Corpus entry) throws Exception {
    String parser = Tools.require("usbguard-rule-parser", "usbguard");
    Tools.Run run = Tools.run(dir, List.of(parser, "--", entry.rule()));
    String out = run.stdout() + run.stderr();
    if (entry.usbguardAccepts()) {
      assertTrue(out.contains("OUTPUT:") && !out.contains("ERROR"), out);
    } else {
      Matcher m = POSITION.matcher(out);
      assertTrue(
          m.find(), "usbguard-rule-parser accepted a rule the corpus says it refuses: " + out);
      assertEquals(entry.column(), Integer.parseInt(m.group(1)), out);
    }
  }
}
