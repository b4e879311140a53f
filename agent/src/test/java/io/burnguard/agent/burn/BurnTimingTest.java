package io.burnguard.agent.burn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-burn stage times, on a ticker the test moves. */
class BurnTimingTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  @Test
  void resultCarriesPipelineDriverOverheadAndStagesInOrder() {
    BurnTiming t = BurnTiming.start(nanos::get);
    advanceMillis(1);
    t.mark(BurnTiming.Stage.ORDER);
    advanceMillis(20);
    t.mark(BurnTiming.Stage.VET);
    advanceMillis(2);
    t.mark(BurnTiming.Stage.SCAN);
    advanceMillis(5);
    t.mark(BurnTiming.Stage.STARTED);
    t.mark(BurnTiming.Stage.PREPARE);
    advanceMillis(2000);
    t.mark(BurnTiming.Stage.DRIVER);
    advanceMillis(4);
    t.mark(BurnTiming.Stage.FINISHED);
    advanceMillis(3);

    JsonNode timing = t.addTo(Result.ok(Wire.object())).data().path("timing");

    assertEquals(2035.0, timing.path("pipelineMillis").asDouble());
    assertEquals(2000.0, timing.path("driverMillis").asDouble());
    assertEquals(35.0, timing.path("overheadMillis").asDouble());
    List<String> names = new ArrayList<>();
    timing.path("stagesMillis").fieldNames().forEachRemaining(names::add);
    assertEquals(
        List.of("order", "vet", "scan", "started", "prepare", "driver", "finished"), names);
    assertEquals(20.0, timing.path("stagesMillis").path("vet").asDouble());
    assertEquals(0.0, timing.path("stagesMillis").path("prepare").asDouble());
  }

  @Test
  void aStageMarkedTwiceAddsUp() {
    BurnTiming t = BurnTiming.start(nanos::get);
    advanceMillis(3);
    t.mark(BurnTiming.Stage.ORDER);
    advanceMillis(4);
    t.mark(BurnTiming.Stage.ORDER);
    t.mark(BurnTiming.Stage.DRIVER);

    JsonNode stages = t.addTo(Result.ok(Wire.object())).data().path("timing").path("stagesMillis");

    assertEquals(7.0, stages.path("order").asDouble());
  }

  @Test
  void withoutTheDriverTheResultIsUnchanged() {
    BurnTiming t = BurnTiming.start(nanos::get);
    advanceMillis(3);
    t.mark(BurnTiming.Stage.ORDER);
    t.mark(BurnTiming.Stage.PREPARE);
    Result r = Result.ok(Wire.object());

    Result out = t.addTo(r);

    assertSame(r, out);
    assertFalse(out.data().has("timing"), out.data().toString());
  }

  @Test
  void twoBurnsDoNotShareTimes() {
    BurnTiming first = BurnTiming.start(nanos::get);
    advanceMillis(50);
    first.mark(BurnTiming.Stage.ORDER);
    BurnTiming second = BurnTiming.start(nanos::get);
    advanceMillis(1);
    second.mark(BurnTiming.Stage.ORDER);
    second.mark(BurnTiming.Stage.DRIVER);

    JsonNode stages =
        second.addTo(Result.ok(Wire.object())).data().path("timing").path("stagesMillis");

    assertEquals(1.0, stages.path("order").asDouble());
  }
}
