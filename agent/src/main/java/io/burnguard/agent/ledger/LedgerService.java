package io.burnguard.agent.ledger;

import io.burnguard.agent.alerts.AlertStore;
import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.AuditHead;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.orders.OrderSpec;
import io.burnguard.agent.orders.WorkOrder;
import io.burnguard.agent.orders.WorkOrderRefusal;
import io.burnguard.agent.orders.WorkOrders;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The daemon's entry point to the ledger, work orders, alerts and audit chain: one object built at
 * daemon start, called by the control-socket handlers with plain records. Roles are checked by the
 * caller; every method here records what it changes in the audit chain.
 */
public final class LedgerService {
  private final AuditChain chain;
  private final WorkOrders orders;
  private final Ledger ledger;
  private final AlertStore alerts;
  private final StationKey key;

  private LedgerService(Database db, StationKey key, AuditChain chain, Clock clock) {
    this.key = key;
    this.chain = chain;
    this.orders = new WorkOrders(db, chain, clock);
    this.ledger = new Ledger(db, chain, orders, clock);
    this.alerts = new AlertStore(db, chain, clock);
  }

  /**
   * Builds the service on an open database; the station key is loaded from (or created in) the
   * database's directory. Call {@link #recoverInterrupted} next, before accepting burns.
   *
   * @throws IOException when the key or head file cannot be read or created
   */
  public static LedgerService open(Database db, Clock clock) throws IOException {
    StationKey key = StationKey.loadOrCreate(db.file().toAbsolutePath().getParent());
    return new LedgerService(db, key, AuditChain.open(db, key, clock), clock);
  }

  /** At daemon start: STARTED burns with no live burn become INTERRUPTED. */
  public List<BurnRecord> recoverInterrupted() throws DatabaseException {
    return ledger.recoverInterrupted(Set.of());
  }

  /** {@code burn}, step "ledger: BURN_STARTED": durable before the driver runs. */
  public BurnRecord startBurn(BurnRequest r) throws WorkOrderRefusal, DatabaseException {
    return ledger.start(r);
  }

  /** {@code burn}, early step: order and barcode checks without starting (refusals recorded). */
  public void precheck(AdmissionRequest request) throws WorkOrderRefusal, DatabaseException {
    ledger.precheck(request);
  }

  /** {@code burn}, step "ledger: BURN_PASSED | BURN_FAILED". */
  public BurnRecord finishBurn(long id, BurnResult result) throws DatabaseException {
    return ledger.finish(id, result);
  }

  /** {@code trace BARCODE}: newest first. */
  public List<BurnRecord> trace(String barcode) throws DatabaseException {
    return ledger.trace(barcode);
  }

  /** {@code trace BARCODE [--json]} written to {@code out}. */
  public void writeTrace(String barcode, boolean json, Writer out)
      throws DatabaseException, IOException {
    List<BurnRecord> records = ledger.trace(barcode);
    if (json) {
      BurnWriter w = BurnWriter.of(BurnWriter.Format.JSON, out);
      w.begin();
      for (BurnRecord r : records) {
        w.accept(r);
      }
      w.end();
    } else if (records.isEmpty()) {
      out.write("no burns recorded for " + BurnWriter.safe(barcode) + System.lineSeparator());
      out.flush();
    } else {
      BurnWriter.writeTrace(records, out);
    }
  }

  /** {@code units --firmware ... [--json|--csv]} streamed to {@code out}; returns the row count. */
  public long writeUnits(UnitsQuery q, BurnWriter.Format format, Writer out)
      throws DatabaseException, IOException {
    BurnWriter w = BurnWriter.of(format, out);
    w.begin();
    long n = ledger.units(q, w);
    w.end();
    return n;
  }

  /** {@code order open} (engineer). */
  public WorkOrder openOrder(OrderSpec spec, String user)
      throws WorkOrderRefusal, DatabaseException {
    return orders.open(spec, user);
  }

  /** {@code order close} (engineer). */
  public WorkOrder closeOrder(String id, String user, String note)
      throws WorkOrderRefusal, DatabaseException {
    return orders.close(id, user, note);
  }

  /** {@code order list}. */
  public List<WorkOrder> listOrders(boolean openOnly) throws DatabaseException {
    return orders.list(openOnly);
  }

  /** The alert store ({@code alerts}, {@code alerts ack}). */
  public AlertStore alerts() {
    return alerts;
  }

  /**
   * The audit chain, for other components that must append in their own transactions (admin events,
   * denials, config reloads, key parts): {@code chain().write(c -> { ...; chain().append(c, kind,
   * ref, payload); })}.
   */
  public AuditChain chain() {
    return chain;
  }

  /** {@code audit head}: the current head, signed now. */
  public AuditHead head() throws DatabaseException {
    return chain.head();
  }

  /** The station's audit public key (PEM), for {@code doctor}. */
  public String publicKeyPem() {
    return key.publicKeyPem();
  }
}
