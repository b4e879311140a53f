package io.burnguard.agent.ledger;

import io.burnguard.agent.alerts.Alert;
import io.burnguard.agent.alerts.AlertStore;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.AuditChainBroken;
import io.burnguard.agent.audit.AuditHead;
import io.burnguard.agent.audit.LedgerSnapshot;
import io.burnguard.agent.audit.ProjectionGuard;
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
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(LedgerService.class);
  private final AuditChain chain;
  private final WorkOrders orders;
  private final Ledger ledger;
  private final AlertStore alerts;
  private final StationKey key;
  private final Database db;
  private final ProjectionGuard guard;
  private volatile String alerted; // the last state mismatch raised as an alert
  private volatile long blockingAlert; // burns stay refused until security acknowledges it
  private static final String STATE_ALERT = "ledger.state-mismatch";
  // A checkpoint at start after a long walk; while running, one per this many entries.
  private static final long CHECKPOINT_AT_START = 10_000;
  private static final long CHECKPOINT_EVERY = 100_000;

  private LedgerService(Database db, StationKey key, AuditChain chain, Clock clock) {
    this.db = db;
    this.guard = new ProjectionGuard(key.publicKey());
    this.key = key;
    this.chain = chain;
    this.orders = new WorkOrders(db, chain, clock);
    this.ledger = new Ledger(db, chain, orders, clock);
    this.alerts = new AlertStore(db, chain, clock);
    chain.gateVettingWrites(this::allowVettingWrite);
  }

  /**
   * Builds the service on an open database; the station key is loaded from (or created in) the
   * database's directory. Call {@link #recoverInterrupted} next, before accepting burns.
   *
   * @throws IOException when the key or head file cannot be read or created
   */
  public static LedgerService open(Database db, Clock clock) throws IOException {
    StationKey key = StationKey.loadOrCreate(db.file().toAbsolutePath().getParent());
    AuditChain chain = AuditChain.open(db, key, clock);
    try {
      LedgerSnapshot.takeIfAbsent(chain);
    } catch (DatabaseException e) {
      throw new IOException(
          "cannot chain the existing rows (ledger snapshot): " + e.getMessage(), e);
    }
    LedgerService s = new LedgerService(db, key, chain, clock);
    try {
      s.requireTrustedState();
      s.checkpointIfDue(CHECKPOINT_AT_START);
    } catch (WorkOrderRefusal e) {
      // The daemon stays up so security can look (alerts, audit verify); burns are refused.
      log.error("{}", e.getMessage());
    } catch (DatabaseException e) {
      throw new IOException(e.getMessage(), e);
    }
    return s;
  }

  /**
   * Issue 11: the anti-rollback and withdrawal state (and the release catalog) must agree with the
   * signed chain before a burn relies on them. Checks only the chain entries newer than the last
   * check. On a disagreement raises a CRITICAL alert (once per distinct finding) and refuses.
   *
   * @throws WorkOrderRefusal LEDGER_STATE: the burn must not run (exit 3)
   */
  public void requireTrustedState() throws WorkOrderRefusal, DatabaseException {
    AuditChainBroken broken = db.read(this::guardCheck);
    if (broken == null) {
      requireAcknowledged();
      checkpointIfDue(CHECKPOINT_EVERY);
      return;
    }
    String msg = mismatch(broken);
    if (!msg.equals(alerted)) {
      alerted = msg;
      blockingAlert = alerts.raise(Severity.CRITICAL, STATE_ALERT, msg).id();
    }
    throw new WorkOrderRefusal(WorkOrderRefusal.Reason.LEDGER_STATE, null, msg);
  }

  /**
   * Remembers the guard's last verified sequence as a signed chain entry once it has verified
   * {@code every} entries since the last one, so that the next daemon start walks only newer
   * entries (issue 11; at 3.17M entries the full walk took 51 s). A failure only costs the next
   * start time, so it is logged, not raised.
   */
  private void checkpointIfDue(long every) {
    if (guard.sinceCheckpoint() < every) {
      return;
    }
    try {
      chain.write(
          c -> {
            guard.appendCheckpoint(c, chain);
            return null;
          });
    } catch (DatabaseException e) {
      log.warn(
          "cannot record the guard's checkpoint (the next start walks further): {}",
          e.getMessage());
    }
  }

  private AuditChainBroken guardCheck(java.sql.Connection c) throws java.sql.SQLException {
    try {
      guard.check(c);
      return null;
    } catch (AuditChainBroken e) {
      return e;
    }
  }

  private static String mismatch(AuditChainBroken broken) {
    return "the station's anti-rollback and withdrawal state does not agree with the signed audit"
        + " chain, so no unit is burned until security restores it ("
        + broken.problem()
        + "): "
        + broken.getMessage();
  }

  /**
   * The gate of every write of the vetting state ({@link AuditChain.VettingWriteGate}), run inside
   * the writer's transaction. It checks the committed state (a read connection sees the database as
   * it was before this transaction, and the write lock keeps anyone else from committing), so a
   * tamper is found before the write could re-chain the row over it. A new finding raises the
   * CRITICAL alert (after this transaction, which must not write it); the write is refused until
   * security has acknowledged that alert. After the acknowledgement the trust refresher may store
   * the server's signed list again (security's decision); burns still need the tables to agree.
   */
  private void allowVettingWrite() throws java.sql.SQLException {
    AuditChainBroken broken;
    try {
      broken = db.read(this::guardCheck);
    } catch (DatabaseException e) {
      throw new java.sql.SQLException(e.getMessage(), e);
    }
    if (broken != null) {
      String msg = mismatch(broken);
      if (!msg.equals(alerted)) {
        alerted = msg;
        blockingAlert = 0;
        raiseAfterThisTransaction(msg);
        throw new Database.Refused(refusedWrite(msg, 0));
      }
    }
    if (alerted == null) {
      return;
    }
    long id = blockingAlert;
    Alert a;
    try {
      a = id == 0 ? null : alerts.get(id);
    } catch (DatabaseException e) {
      throw new java.sql.SQLException(e.getMessage(), e);
    }
    if (a == null || a.open()) {
      throw new Database.Refused(refusedWrite(alerted, id));
    }
  }

  private static String refusedWrite(String finding, long alertId) {
    return "the vetting state is not written (trust refresh, firmware fetch, burn): "
        + finding
        + (alertId == 0 ? " (CRITICAL alert being raised)" : " (CRITICAL alert " + alertId + ")")
        + "; it is not stored over until security has checked the station and acknowledged the"
        + " alert: burnguard alerts ack ID --note TEXT";
  }

  /** The alert store writes on the writer connection: raise it once the transaction has ended. */
  private void raiseAfterThisTransaction(String msg) {
    Thread t =
        new Thread(
            () -> {
              try {
                blockingAlert = alerts.raise(Severity.CRITICAL, STATE_ALERT, msg).id();
              } catch (DatabaseException e) {
                log.error("cannot raise the ledger state alert: {}", e.getMessage());
              }
            },
            "burnguard-state-alert");
    t.setDaemon(true);
    t.start();
  }

  /**
   * A disagreement, once found, blocks burns until security has looked: the vetting pipeline
   * rewrites the state it reads (a fetch or a burn-time re-verification records the withdrawal
   * sequence again), which could otherwise paper over the reset with a fresh, consistent entry.
   */
  private void requireAcknowledged() throws WorkOrderRefusal, DatabaseException {
    long id = blockingAlert;
    if (id == 0 && alerted == null) {
      return;
    }
    Alert a = id == 0 ? null : alerts.get(id);
    if (a != null && !a.open()) {
      blockingAlert = 0;
      alerted = null;
      return;
    }
    throw new WorkOrderRefusal(
        WorkOrderRefusal.Reason.LEDGER_STATE,
        null,
        "the station's anti-rollback and withdrawal state did not agree with the signed audit"
            + " chain (CRITICAL alert "
            + (id == 0 ? "being raised" : id)
            + "), so no unit is burned until security has checked the station and acknowledged"
            + " it: burnguard alerts ack "
            + (id == 0 ? "ID" : id)
            + " --note TEXT");
  }

  /** At daemon start: STARTED burns with no live burn become INTERRUPTED. */
  public List<BurnRecord> recoverInterrupted() throws DatabaseException {
    return ledger.recoverInterrupted(Set.of());
  }

  /** {@code burn}, step "ledger: BURN_STARTED": durable before the driver runs. */
  public BurnRecord startBurn(BurnRequest r) throws WorkOrderRefusal, DatabaseException {
    requireTrustedState();
    return ledger.start(r);
  }

  /** {@code burn}, early step: order and barcode checks without starting (refusals recorded). */
  public void precheck(AdmissionRequest request) throws WorkOrderRefusal, DatabaseException {
    // Before the vetting step, which re-verifies the stored withdrawal list and so writes the
    // vetting state: a mismatch is a LEDGER_STATE refusal (exit 3), not a failed write.
    requireTrustedState();
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
