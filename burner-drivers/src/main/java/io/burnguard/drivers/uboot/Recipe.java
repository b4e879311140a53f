package io.burnguard.drivers.uboot;

import io.burnguard.drivers.BurnJob;
import io.burnguard.drivers.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's recipe with every {@code ${var}} resolved on the host, before the device is touched.
 *
 * <p>Threat: recipe variables end up typed into a boot loader. Values are limited to characters
 * that cannot start a second command (no ';', quotes, '$' or line breaks), and an undefined
 * variable fails the burn in PREPARE instead of reaching U-Boot, where {@code ${x}} would silently
 * expand to nothing and could turn {@code erase ${flash_offset} +${size_hex}} into an erase of the
 * wrong range.
 *
 * <p>Built-in variables: {@code loadaddr}, {@code readaddr} (fixture settings), {@code size}
 * (decimal bytes), {@code size_hex}, {@code blocks_hex} (512-byte blocks, rounded up), {@code
 * erase_size} (size rounded up to {@code erase_block}, default 0x10000, hex), {@code image_name}.
 */
final class Recipe {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern SAFE_VALUE = Pattern.compile(UBootSettings.SAFE_VALUE);
  static final String DEFAULT_LOADADDR = "0x40200000";

  final Map<String, String> vars;
  final List<String> write;
  final List<String> readBack;

  private Recipe(Map<String, String> vars, List<String> write, List<String> readBack) {
    this.vars = vars;
    this.write = write;
    this.readBack = readBack;
  }

  static Recipe prepare(BurnJob job) throws BurnFailure {
    Map<String, String> v = new HashMap<>();
    for (Map.Entry<String, String> e : job.variables().entrySet()) {
      v.put(e.getKey(), e.getValue().trim());
    }
    long size = job.length();
    long eraseBlock =
        parseNumber(
            v.getOrDefault(UBootSettings.ERASE_BLOCK, UBootSettings.DEFAULT_ERASE_BLOCK),
            UBootSettings.ERASE_BLOCK);
    putBuiltIn(v, "loadaddr", job.setting("loadaddr", DEFAULT_LOADADDR));
    String readaddr = job.setting(UBootSettings.READADDR.name(), "");
    if (!readaddr.isEmpty()) {
      putBuiltIn(v, "readaddr", readaddr);
    }
    putBuiltIn(v, "size", Long.toString(size));
    putBuiltIn(v, "size_hex", hex(size));
    putBuiltIn(v, "blocks_hex", hex((size + 511) / 512));
    putBuiltIn(v, "erase_size", hex((size + eraseBlock - 1) / eraseBlock * eraseBlock));
    putBuiltIn(v, "image_name", job.imageName());
    for (Map.Entry<String, String> e : v.entrySet()) {
      if (!SAFE_VALUE.matcher(e.getValue()).matches()) {
        throw new BurnFailure(
            Phase.PREPARE,
            "recipe variable "
                + e.getKey()
                + " = '"
                + e.getValue()
                + "' contains characters "
                + "not allowed in a boot-loader command; use a number or a plain name");
      }
    }
    Map<String, String> frozen = Map.copyOf(v);
    return new Recipe(
        frozen,
        expand(job.recipe(), frozen, "recipe"),
        expand(job.readBack(), frozen, "read-back"));
  }

  private static void putBuiltIn(Map<String, String> v, String key, String value)
      throws BurnFailure {
    String old = v.put(key, value);
    if (old != null && !old.equals(value)) {
      throw new BurnFailure(
          Phase.PREPARE,
          "recipe variable '"
              + key
              + "' is computed by the driver and must not be set in the "
              + "model's variables (found '"
              + old
              + "'); remove it");
    }
  }

  static String hex(long n) {
    return "0x" + Long.toHexString(n);
  }

  static long parseNumber(String s, String what) throws BurnFailure {
    try {
      String t = s.trim().toLowerCase(Locale.ROOT);
      long n = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BurnFailure(
          Phase.PREPARE,
          what + " must be a positive number (decimal or 0x hex); found '" + s + "'");
    }
  }

  static List<String> expand(List<String> lines, Map<String, String> vars, String which)
      throws BurnFailure {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw new BurnFailure(Phase.PREPARE, which + " line " + (i + 1) + " contains a line break");
      }
      Matcher m = VAR.matcher(line);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String value = vars.get(m.group(1));
        if (value == null) {
          throw new BurnFailure(
              Phase.PREPARE,
              String.format(
                  Locale.ROOT,
                  "%s line %d '%s' uses ${%s}, which is not defined; define it in the model's "
                      + "recipe variables (known: %s)",
                  which,
                  i + 1,
                  line,
                  m.group(1),
                  String.join(", ", new java.util.TreeSet<>(vars.keySet()))));
        }
        m.appendReplacement(b, Matcher.quoteReplacement(value));
      }
      m.appendTail(b);
      if (!b.toString().isBlank()) {
        out.add(b.toString().trim());
      }
    }
    return List.copyOf(out);
  }
}
