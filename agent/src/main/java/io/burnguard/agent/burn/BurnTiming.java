package io.burnguard.agent.burn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.control.Result;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The stage times of one burn, passed along the pipeline (one object per burn, so parallel fixtures
 * never share one). The result's {@code timing} is what the overhead benchmark reads
 * (BENCHMARKS.md, "Burn overhead"): the whole pipeline, the driver's own transfer + write +
 * read-back, their difference (what BurnGuard adds) and every stage.
 */
final class BurnTiming {
  /** The stages in pipeline order, with their names in the result. */
  enum Stage {
    ORDER("order"),
    VET("vet"),
    SCAN("scan"),
    STARTED("started"),
    PREPARE("prepare"),
    DRIVER("driver"),
    FINISHED("finished");

    private final String wire;

    Stage(String wire) {
      this.wire = wire;
    }
  }

  private final LongSupplier nanoTime;
  private final long start;
  private long last;
  private final Map<Stage, Double> millis = new EnumMap<>(Stage.class);

  private BurnTiming(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
    this.last = start;
  }

  /** Starts timing now on {@code nanoTime} ({@code System::nanoTime}, or a fake in tests). */
  static BurnTiming start(LongSupplier nanoTime) {
    return new BurnTiming(nanoTime);
  }

  /** Closes {@code stage}: it ran since the previous mark (or the start). */
  void mark(Stage stage) {
    long now = nanoTime.getAsLong();
    millis.merge(stage, (now - last) / 1e6, Double::sum);
    last = now;
  }

  /**
   * Adds {@code timing} to the result's data when the driver ran; the pipeline time ends now. A
   * burn that never reached the driver has no overhead to report and is returned unchanged.
   */
  Result addTo(Result r) {
    double pipeline = (nanoTime.getAsLong() - start) / 1e6;
    Double driver = millis.get(Stage.DRIVER);
    if (driver == null || !(r.data() instanceof ObjectNode data)) {
      return r;
    }
    ObjectNode t = data.putObject("timing");
    t.put("pipelineMillis", pipeline);
    t.put("driverMillis", driver);
    t.put("overheadMillis", pipeline - driver);
    ObjectNode byStage = t.putObject("stagesMillis");
    millis.forEach((stage, ms) -> byStage.put(stage.wire, ms));
    return r;
  }
}
