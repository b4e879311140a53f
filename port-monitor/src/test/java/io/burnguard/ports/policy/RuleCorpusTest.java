package io.burnguard.ports.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RuleCorpusTest {
  static Stream<Corpus> corpus() throws Exception {
    return Corpus.load().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void acceptsOrRefusesAtTheColumn(Corpus entry) {
    List<PolicyProblem> problems = UsbPolicy.check(entry.rule(), "corpus");
    if (entry.oursAccepts()) {
      assertEquals(List.of(), problems, entry.rule());
    } else {
      assertEquals(1, problems.size(), entry.rule());
      PolicyProblem p = problems.get(0);
      assertEquals(entry.column(), p.column(), p.toString());
      assertEquals(1, p.line());
      assertTrue(p.message().length() > 20, p.message());
    }
  }
}
