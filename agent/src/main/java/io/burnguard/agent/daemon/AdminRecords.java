package io.burnguard.agent.daemon;

import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.ledger.LedgerService;
import java.util.Map;

/**
 * Records an admin action the way every admin event is recorded: an {@code admin_events} row and an
 * audit-chain entry, written in one transaction, so the chain shows who changed the station and
 * when (docs/architecture.md, "Data that must never be lost").
 */
final class AdminRecords {
  /** Bound on free text stored from a refusal (a config problem list can be long). */
  private static final int MAX_DETAIL = 4000;

  private final AdminEvents events;
  private final LedgerService ledger;

  AdminRecords(AdminEvents events, LedgerService ledger) {
    this.events = events;
    this.ledger = ledger;
  }

  /**
   * @param kind the admin_events kind, e.g. {@code CONFIG_RELOAD}
   * @param chainKind the audit-chain kind, e.g. {@code config.reloaded}
   */
  void record(
      ConfigReload.Source source,
      String kind,
      String chainKind,
      String detail,
      Map<String, ?> payload)
      throws DatabaseException {
    String bounded = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
    ledger
        .chain()
        .write(
            c -> {
              events.insert(c, kind, source.caller(), "config.reload", bounded);
              ledger.chain().append(c, chainKind, "config.reload", payload);
              return null;
            });
  }
}
