package io.burnguard.ports.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed USB policy: USBGuard 1.1's {@code rules.conf} language, one rule per line, first match
 * wins, plus BurnGuard's clauses after {@code ;} (docs/port-monitor.md).
 *
 * <p>A policy is all or nothing: {@link #parse} refuses a file with any problem and lists them all,
 * so a reload with a bad file leaves the running policy in place. Files are read as bytes (each
 * byte one char), because USBGuard matches device strings byte for byte.
 */
public final class UsbPolicy {
  /** Bound on a rules file; a station's policy is a few hundred lines. */
  public static final int MAX_BYTES = 4 << 20;

  private final String source;
  private final List<Rule> rules;

  private UsbPolicy(String source, List<Rule> rules) {
    this.source = source;
    this.rules = List.copyOf(rules);
  }

  /**
   * Reads and parses {@code file}. A symlink or a file others may write is refused: whoever can
   * change the policy decides which devices work. (Ownership is the daemon's to check.)
   */
  public static UsbPolicy load(Path file) throws IOException, PolicyException {
    PosixFileAttributes attributes =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink() || !attributes.isRegularFile()) {
      throw new IOException(
          file
              + " is a symlink or not a regular file; expected the rules file"
              + " itself (write its real path in station.yaml)");
    }
    if (attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)
        || attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)) {
      throw new IOException(
          file
              + " is writable by group or others ("
              + PosixFilePermissions.toString(attributes.permissions())
              + "); expected at most"
              + " rw-r--r--: chmod go-w "
              + file);
    }
    if (attributes.size() > MAX_BYTES) {
      throw new IOException(
          file + " is larger than " + MAX_BYTES + " bytes; expected a rules file");
    }
    return parse(new String(readNoFollow(file), StandardCharsets.ISO_8859_1), file.toString());
  }

  /** Reads through O_NOFOLLOW, so a symlink swapped in after the check is refused too. */
  private static byte[] readNoFollow(Path file) throws IOException {
    try (InputStream in =
        Channels.newInputStream(
            Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      byte[] data = in.readNBytes(MAX_BYTES + 1);
      if (data.length > MAX_BYTES) {
        throw new IOException(file + " grew beyond " + MAX_BYTES + " bytes while being read");
      }
      return data;
    }
  }

  /** Parses {@code text}; {@code source} names it in problems. */
  public static UsbPolicy parse(String text, String source) throws PolicyException {
    List<Rule> rules = new ArrayList<>();
    List<PolicyProblem> problems = collect(text, source, rules);
    if (!problems.isEmpty()) {
      throw new PolicyException(problems);
    }
    return new UsbPolicy(source, rules);
  }

  /** Every problem in {@code text}, one per bad line; empty when the policy is valid. */
  public static List<PolicyProblem> check(String text, String source) {
    return collect(text, source, new ArrayList<>());
  }

  /** An empty policy: every device gets the implicit target. */
  public static UsbPolicy empty() {
    return new UsbPolicy("(empty)", List.of());
  }

  private static List<PolicyProblem> collect(String text, String source, List<Rule> into) {
    Objects.requireNonNull(source, "source");
    List<PolicyProblem> problems = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    for (int i = 0; i < count; i++) {
      try {
        Rule rule = RuleParser.parse(lines[i], i + 1);
        if (rule != null) {
          into.add(rule);
        }
      } catch (RuleSyntaxException e) {
        problems.add(
            new PolicyProblem(source, i + 1, e.column(), e.getMessage(), Escapes.quote(lines[i])));
      }
    }
    return problems;
  }

  public String source() {
    return source;
  }

  /** The number of rules (comments and empty lines excluded). */
  public int size() {
    return rules.size();
  }

  /** The rules in USBGuard's canonical form, one per line, for {@code policy show}. */
  public List<String> canonicalRules() {
    return rules.stream().map(Rule::toRuleString).toList();
  }

  /** True when a rule has an {@code interfaces} clause (per-interface decisions). */
  public boolean usesInterfaceClauses() {
    return rules.stream().anyMatch(r -> !r.allowedInterfaces().isEmpty());
  }

  List<Rule> rules() {
    return rules;
  }
}
