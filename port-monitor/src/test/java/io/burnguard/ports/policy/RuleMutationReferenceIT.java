package io.burnguard.ports.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.burnguard.ports.testing.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against {@code usbguard-rule-parser}: corpus rules mutated at random (seeded,
 * so a failure reproduces) must be accepted by both or refused by both at the same column.
 */
class RuleMutationReferenceIT {
  private static final Pattern POSITION = Pattern.compile("<argv>:1:(\\d+):");
  private static final String ALPHABET = " \t\"\\{}()!#:*x0a-;9F";

  /** {@code -Dmutation.cases=N -Dmutation.seed=S} explore further; the default is quick. */
  private static final int CASES = Integer.getInteger("mutation.cases", 300);

  private static final long SEED = Long.getLong("mutation.seed", 20261130L);

  @TempDir Path dir;

  @Test
  void mutatedRulesGetTheSameVerdict() throws Exception {
    String parser = Tools.require("usbguard-rule-parser", "usbguard");
    List<String> seeds = new ArrayList<>();
    for (Corpus c : Corpus.load()) {
      if (c.usbguardAccepts() && !c.rule().isEmpty()) {
        seeds.add(c.rule());
      }
    }
    Random random = new Random(SEED);
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      String rule = mutate(seeds.get(random.nextInt(seeds.size())), random);
      if (rule.isEmpty() || rule.contains(";")) {
        continue; // empty lines and our own clauses are not USBGuard's to judge
      }
      // "--": a rule starting with "-" is not an option.
      Tools.Run run = Tools.run(dir, List.of(parser, "--", rule));
      Matcher m = POSITION.matcher(run.stdout() + run.stderr());
      int theirs = m.find() ? Integer.parseInt(m.group(1)) : 0;
      List<PolicyProblem> problems = UsbPolicy.check(rule, "m");
      int ours = problems.isEmpty() ? 0 : problems.get(0).column();
      if (ours != theirs) {
        disagreements.add("usbguard " + theirs + ", ours " + ours + ": " + Escapes.quote(rule));
      }
    }
    assertEquals(List.of(), disagreements);
  }

  private static String mutate(String rule, Random random) {
    StringBuilder b = new StringBuilder(rule);
    int edits = 1 + random.nextInt(2);
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(3)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        default -> b.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return b.toString();
  }
}
