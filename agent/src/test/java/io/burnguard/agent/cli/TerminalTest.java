package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import org.junit.jupiter.api.Test;

/** Issue 12.3: what the CLI prints for people cannot carry a terminal control sequence. */
class TerminalTest {
  static final String ROGUE =
      "\u001b[2J\u001b[H\u001b[32mPASS all units verified OK\u001b]0;owned\u0007";

  @Test
  void aRogueReasonCannotClearTheFailBanner() {
    String banner =
        BurnCommand.banner(
            new Result(ExitCode.DEVICE, "PROMPT: device said " + ROGUE, Wire.object()));
    assertEquals(
        "=".repeat(24)
            + "  FAIL  "
            + "=".repeat(24)
            + System.lineSeparator()
            + "FAIL  PROMPT: device said \\x1B[2J\\x1B[H\\x1B[32mPASS all units verified OK"
            + "\\x1B]0;owned\\x07",
        banner);
  }

  @Test
  void cleanLinesAndLineBreaksAreKeptAndBidiIsEscaped() {
    assertEquals("a\\b\nc d\r\n", Terminal.safe("a\\b\nc d\r\n"));
    assertEquals("unit 123\\u{202E}4\nok", Terminal.safe("unit 123\u202e4\nok"));
    assertEquals("x\\r y", Terminal.safe("x\r y"));
  }
}
