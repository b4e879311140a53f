package io.burnguard.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallOutputTest {
  private final List<JsonNode> sent = new ArrayList<>();
  private final CallOutput out = new CallOutput(sent::add);

  @Test
  void smallTextWaitsForFlushAndGoesAsOneOutLine() throws IOException {
    out.write("row 1\n");
    out.write("row 2\n");
    assertEquals(List.of(), sent);
    out.flush();
    assertEquals(1, sent.size());
    assertEquals("out", sent.get(0).path("type").asText());
    assertEquals("row 1\nrow 2\n", sent.get(0).path("text").asText());
    out.flush();
    assertEquals(1, sent.size(), "an empty buffer sends nothing");
  }

  @Test
  void longListingsAreSentInChunksAsTheyAreWritten() throws IOException {
    String row = "x".repeat(1023) + "\n";
    for (int i = 0; i < 40; i++) {
      out.write(row);
    }
    assertEquals(2, sent.size(), "40 KiB in 16 KiB chunks before close");
    assertEquals(CallOutput.CHUNK_CHARS, sent.get(0).path("text").asText().length());
    out.close();
    StringBuilder all = new StringBuilder();
    sent.forEach(n -> all.append(n.path("text").asText()));
    assertEquals(row.repeat(40), all.toString());
  }
}
