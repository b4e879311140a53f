package io.burnguard.agent.ledger;

import java.io.IOException;

/** Receives burn records one at a time from a streaming query. */
@FunctionalInterface
public interface BurnSink {
  void accept(BurnRecord r) throws IOException;
}
