package io.burnguard.drivers.uboot;

import io.burnguard.config.UntrustedText;
import io.burnguard.drivers.Phase;
import io.burnguard.drivers.ReadBack;
import java.util.Optional;

/** Ends a burn: the phase it failed in and a sentence for the operator. */
final class BurnFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** At most this many characters of one device line reach a message. */
  static final int DEVICE_LINE = 160;

  private final Phase phase;
  private final transient ReadBack readBack;

  BurnFailure(Phase phase, String message) {
    this(phase, message, null);
  }

  BurnFailure(Phase phase, String message, ReadBack readBack) {
    super(message);
    this.phase = phase;
    this.readBack = readBack;
  }

  Phase phase() {
    return phase;
  }

  Optional<ReadBack> readBack() {
    return Optional.ofNullable(readBack);
  }

  /** Wraps a console failure with the phase and a hint on what to check. */
  static BurnFailure of(Phase phase, ConsoleException e, String hint) {
    StringBuilder m = new StringBuilder(phase.name()).append(" failed: ").append(e.getMessage());
    if (e.kind() == ConsoleException.Kind.PORT_GONE) {
      m.append(". The serial port went away; check the USB cable and the fixture's power");
    } else if (hint != null && e.kind() != ConsoleException.Kind.CANCELLED) {
      m.append(". ").append(hint);
    }
    String out = e.output().strip();
    if (!out.isEmpty()) {
      m.append(". Device said: ").append(lastLines(out, 4));
    }
    return new BurnFailure(phase, m.toString());
  }

  /**
   * The last {@code n} non-blank lines of what a device printed, joined with " | ". Device text is
   * hostile (a rogue console answers with terminal control sequences to repaint the operator's
   * screen), so each line is neutralised here, the one place console output becomes a message.
   */
  static String lastLines(String s, int n) {
    String[] lines = s.split("\\r?\\n");
    StringBuilder b = new StringBuilder();
    for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
      String l = lines[i].strip();
      if (!l.isEmpty()) {
        b.append(b.length() == 0 ? "" : " | ").append(UntrustedText.neutralize(l, DEVICE_LINE));
      }
    }
    return b.toString();
  }
}
