package io.burnguard.agent.orders;

import io.burnguard.agent.orders.WorkOrderRefusal.Reason;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a barcode of a work order must look like: a regular expression matched against the whole
 * barcode, then an optional check digit.
 *
 * <p>Threat: the barcode comes from a scanner (a keyboard device) and ends up in the ledger,
 * terminals and CSV exports. Before the rule runs, a barcode must be 1..{@value #MAX_LENGTH}
 * printable ASCII characters: that keeps control characters (terminal escapes), look-alike Unicode
 * and oversized input out. The regular expression is the engineer's; a pathological one is stopped
 * after {@value #MAX_STEPS} character reads instead of hanging the daemon.
 */
public record BarcodeRule(String regex, CheckDigit checkDigit) {
  /** Longest barcode accepted. Longer GS1 element strings are 48; 128 leaves room. */
  public static final int MAX_LENGTH = 128;

  static final int MAX_STEPS = 1_000_000;

  public BarcodeRule {
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(checkDigit, "checkDigit");
    if (regex.isEmpty()) {
      throw new IllegalArgumentException("the barcode rule is empty; give a regular expression");
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "the barcode rule \""
              + regex
              + "\" is not a valid regular expression: "
              + e.getDescription()
              + " at index "
              + e.getIndex(),
          e);
    }
  }

  /**
   * Checks {@code barcode} against this rule.
   *
   * @throws WorkOrderRefusal with a BARCODE_* or CHECK_DIGIT reason
   */
  public void check(String barcode, String orderId) throws WorkOrderRefusal {
    checkCharacters(barcode, orderId);
    boolean matches;
    try {
      matches = Pattern.compile(regex).matcher(new Bounded(barcode)).matches();
    } catch (StepLimit e) {
      throw new WorkOrderRefusal(
          Reason.BARCODE_RULE,
          orderId,
          "the barcode rule of work order "
              + orderId
              + " ("
              + regex
              + ") took too long on \""
              + barcode
              + "\"; ask the engineer to simplify the rule");
    }
    if (!matches) {
      throw new WorkOrderRefusal(
          Reason.BARCODE_RULE,
          orderId,
          "barcode \""
              + barcode
              + "\" does not match the rule of work order "
              + orderId
              + " ("
              + regex
              + "); scan the unit's label again, or check that "
              + orderId
              + " is the order for this unit");
    }
    if (!checkDigit.valid(barcode)) {
      Character expected =
          barcode.length() < 2
              ? null
              : checkDigit.compute(barcode.substring(0, barcode.length() - 1));
      throw new WorkOrderRefusal(
          Reason.CHECK_DIGIT,
          orderId,
          "barcode \""
              + barcode
              + "\" fails its "
              + checkDigit
              + " check digit (last character "
              + barcode.charAt(barcode.length() - 1)
              + (expected == null ? "" : ", expected " + expected)
              + "); the label is misprinted or misread: scan it again or set the unit aside");
    }
  }

  /** The printable-ASCII and length rules every barcode obeys, whatever the order. */
  public static void checkCharacters(String barcode, String orderId) throws WorkOrderRefusal {
    if (barcode == null || barcode.isEmpty()) {
      throw new WorkOrderRefusal(
          Reason.BARCODE_EMPTY, orderId, "the barcode is empty; scan the unit's label");
    }
    if (barcode.length() > MAX_LENGTH) {
      throw new WorkOrderRefusal(
          Reason.BARCODE_TOO_LONG,
          orderId,
          "the barcode is "
              + barcode.length()
              + " characters long, more than the "
              + MAX_LENGTH
              + " allowed; the scanner sent more than one label or is misconfigured");
    }
    for (int i = 0; i < barcode.length(); i++) {
      char ch = barcode.charAt(i);
      if (ch < 0x21 || ch > 0x7e) {
        throw new WorkOrderRefusal(
            Reason.BARCODE_CHARACTERS,
            orderId,
            String.format(
                java.util.Locale.ROOT,
                "the barcode has character U+%04X at position %d; barcodes must be printable"
                    + " ASCII without spaces; check the scanner's keyboard layout and suffix"
                    + " settings",
                (int) ch,
                i + 1));
      }
    }
  }

  private static final class StepLimit extends RuntimeException {
    StepLimit() {
      super("barcode rule step limit", null, false, false);
    }
  }

  /** A CharSequence that stops a runaway regular expression after {@link #MAX_STEPS} reads. */
  private static final class Bounded implements CharSequence {
    private final String s;
    private final int[] steps;

    Bounded(String s) {
      this(s, new int[1]);
    }

    private Bounded(String s, int[] steps) {
      this.s = s;
      this.steps = steps;
    }

    @Override
    public char charAt(int index) {
      if (++steps[0] > MAX_STEPS) {
        throw new StepLimit();
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Bounded(s.substring(start, end), steps);
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
