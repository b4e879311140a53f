package io.burnguard.ports.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The rule corpus in src/test/resources/rules/corpus.txt. */
record Corpus(String kind, int column, String rule) {
  static List<Corpus> load() throws IOException {
    List<Corpus> entries = new ArrayList<>();
    try (InputStream in = Corpus.class.getResourceAsStream("/rules/corpus.txt")) {
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      for (String line : text.split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        int bar = line.indexOf(" | ");
        String[] head = line.substring(0, bar).split(" ");
        String rule = line.substring(bar + 3).replace("<TAB>", "\t");
        entries.add(new Corpus(head[0], head.length > 1 ? Integer.parseInt(head[1]) : 0, rule));
      }
    }
    return entries;
  }

  /** Accepted by BurnGuard. */
  boolean oursAccepts() {
    return !kind.equals("err");
  }

  /** Accepted by USBGuard. */
  boolean usbguardAccepts() {
    return kind.equals("ok");
  }

  @Override
  public String toString() {
    return kind + " " + column + " | " + rule;
  }
}
