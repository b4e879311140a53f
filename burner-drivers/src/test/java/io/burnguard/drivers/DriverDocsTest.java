package io.burnguard.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/drivers.md documents exactly what the drivers declare: each driver's section holds one table
 * row per declared setting (type, required, default, description) and per recipe variable (unit,
 * origin, description), rendered here from the declarations. When a declaration changes, this test
 * prints the rows to paste.
 */
class DriverDocsTest {
  private static final Path DOC = Path.of("../docs/drivers.md");

  @Test
  void everyDeclaredSettingAndVariableIsDocumentedInItsDriversSection() throws IOException {
    String doc = Files.readString(DOC);
    List<String> missing = new ArrayList<>();
    for (DriverSpec spec : BurnerDrivers.specs()) {
      String section = section(doc, spec.name());
      assertTrue(!section.isEmpty(), "docs/drivers.md has no section \"## `" + spec.name() + "`\"");
      for (String row : rows(spec)) {
        if (!section.contains(row)) {
          missing.add(spec.name() + ": " + row);
        }
      }
    }
    assertEquals(List.of(), missing, "rows missing from docs/drivers.md (paste them)");
  }

  @Test
  void blocksHexIsDocumentedInBlocksNotBytes() throws IOException {
    String doc = Files.readString(DOC);
    assertTrue(doc.contains("| `${blocks_hex}` | 512-byte blocks, hex |"), "blocks_hex unit");
  }

  @Test
  void everyDocumentedDriverExists() throws IOException {
    List<String> documented =
        Files.readString(DOC)
            .lines()
            .filter(l -> l.startsWith("## `"))
            .map(l -> l.substring(4, l.indexOf('`', 4)))
            .toList();
    assertEquals(BurnerDrivers.names(), documented);
  }

  /** The text from "## `name`" to the next "## " heading. */
  private static String section(String doc, String name) {
    int start = doc.indexOf("## `" + name + "`");
    if (start < 0) {
      return "";
    }
    int end = doc.indexOf("\n## ", start + 1);
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }

  static List<String> rows(DriverSpec spec) {
    List<String> out = new ArrayList<>();
    for (SettingSpec s : spec.settings()) {
      String def =
          s.required()
              ? "required"
              : s.defaultValue() != null ? "`" + s.defaultValue() + "`" : s.defaultNote();
      out.add(row("`" + s.name() + "`", s.type().description(), def, s.description()));
    }
    for (RecipeVariable v : spec.variables()) {
      out.add(
          row(
              "`${" + v.name() + "}`",
              v.unit(),
              v.origin().name().toLowerCase(java.util.Locale.ROOT),
              v.description()));
    }
    out.add("Values of recipe variables: " + spec.valueRule() + ".");
    return out;
  }

  private static String row(String... cells) {
    StringBuilder b = new StringBuilder("|");
    for (String c : cells) {
      b.append(' ').append(c.replace("|", "\\|")).append(" |");
    }
    return b.toString();
  }
}
