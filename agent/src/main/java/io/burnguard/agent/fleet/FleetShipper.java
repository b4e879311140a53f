package io.burnguard.agent.fleet;

import io.burnguard.agent.alerts.AlertStore;
import io.burnguard.agent.alerts.Severity;
import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.AuditEntry;
import io.burnguard.agent.audit.AuditHead;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the station's audit chain to the fleet ledger (issue 16, docs/fleet.md).
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>Never delays a burn.</b> One background thread with its own PostgreSQL connection; it
 *       reads the chain on the database's reader connections and takes the write lock only to
 *       record the confirmed sequence (one tiny local row). No burn path calls into this class.
 *   <li><b>Chain order, batches, idempotent.</b> Entries after the confirmed sequence are sent in
 *       batches of {@code batchSize}; the central side skips an identical retry and flags a
 *       different row under the same (station, seq). After each batch the shipper reads the rows
 *       back and confirms they are exactly its own before it advances.
 *   <li><b>Resumable.</b> The confirmed sequence lives in the station database ({@code
 *       fleet_outbox}); after a restart or days offline the shipper continues from there. A crash
 *       between commit and record re-sends a batch, which the central side skips.
 *   <li><b>Anchoring.</b> After every batch it ships a freshly signed head of the batch's last
 *       entry, and at least every interval the head of the chain; a head therefore never names an
 *       entry the central side lacks, so {@code fleet audit} reads a head beyond the stored chain
 *       as a cut tail.
 * </ul>
 */
public final class FleetShipper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FleetShipper.class);

  private final Database db;
  private final AuditChain chain;
  private final String station;
  private final FleetConnection target;
  private final int batchSize;
  private final Duration interval;
  private final Duration maxLag;
  private final AlertStore alerts;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean stopping;
  private Connection pg; // shipper thread only
  private Instant lastAnchor = Instant.EPOCH; // shipper thread only
  private String lastProblem; // shipper thread only: alert once per distinct problem

  FleetShipper(
      Database db,
      AuditChain chain,
      String station,
      FleetConnection target,
      int batchSize,
      Duration interval,
      Duration maxLag,
      AlertStore alerts,
      Clock clock) {
    this.db = db;
    this.chain = chain;
    this.station = station;
    this.target = target;
    this.batchSize = batchSize;
    this.interval = interval;
    this.maxLag = maxLag;
    this.alerts = alerts;
    this.clock = clock;
    this.thread = new Thread(this::run, "fleet-shipper");
    this.thread.setDaemon(true);
  }

  /**
   * Starts shipping per the station's fleet section.
   *
   * @throws DatabaseException when the local shipping state cannot be created
   */
  public static FleetShipper start(
      Database db,
      AuditChain chain,
      io.burnguard.config.StationConfig cfg,
      AlertStore alerts,
      Clock clock)
      throws DatabaseException {
    io.burnguard.config.StationConfig.Fleet f = cfg.fleet();
    FleetConnection to =
        new FleetConnection(f.jdbcUrl(), f.role(), f.clientCert(), f.clientKey(), f.serverCa());
    FleetShipper s =
        new FleetShipper(
            db,
            chain,
            cfg.station().id(),
            to,
            f.batchSize(),
            f.interval(),
            f.maxLag(),
            alerts,
            clock);
    s.begin();
    log.info("fleet shipping to {} as {} every {}", f.jdbcUrl(), f.role(), f.interval());
    return s;
  }

  /** Creates the local shipping state and starts the thread. */
  void begin() throws DatabaseException {
    db.write(Outbox::createState);
    thread.start();
  }

  private void run() {
    while (!stopping) {
      try {
        shipOnce();
        lastProblem = null;
      } catch (SQLException | DatabaseException e) {
        log.warn("fleet shipping paused: {}; retrying in {}", e.getMessage(), interval);
        closeConnection();
      } catch (FleetRefused e) {
        problem("fleet.refused", Severity.CRITICAL, e.getMessage());
      } catch (RuntimeException e) {
        log.error("fleet shipping failed unexpectedly; retrying in {}", interval, e);
        closeConnection();
      }
      checkLag();
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Ships every unshipped entry in batches, anchoring after each batch that stored new entries a
   * head of exactly its last entry (a head never names an entry the central side does not hold yet,
   * and a batch re-sent after a crash does not anchor an older head), and when nothing was shipped
   * but the last anchor is older than the interval; returns the number of entries shipped.
   */
  int shipOnce() throws SQLException, DatabaseException, FleetRefused {
    Connection c = connection();
    long stored = CentralLedger.storedTail(c, station);
    int shipped = 0;
    while (!stopping) {
      long after = db.read(Outbox::shippedSeq);
      List<AuditEntry> batch = db.read(x -> Outbox.batch(x, after, batchSize));
      if (batch.isEmpty()) {
        break;
      }
      CentralLedger.ship(c, station, batch);
      AuditEntry last = batch.get(batch.size() - 1);
      db.write(x -> Outbox.markShipped(x, last, clock.instant()));
      shipped += batch.size();
      if (last.seq() > stored) { // a re-sent batch (crash before markShipped) anchors nothing
        anchor(c, chain.headAt(last.seq()));
        stored = last.seq();
      }
    }
    if (shipped == 0 && !clock.instant().isBefore(lastAnchor.plus(interval))) {
      anchor(c, idleHead());
    }
    return shipped;
  }

  /**
   * The head to anchor when nothing new was shipped: the chain's own head when it does not go
   * beyond what was shipped (caught up, or cut below it: the central side flags that), else the
   * head of the last shipped entry.
   */
  private AuditHead idleHead() throws DatabaseException {
    AuditHead h = chain.head();
    long shipped = db.read(Outbox::shippedSeq);
    if (h.sequence() <= shipped) {
      return h;
    }
    AuditHead at = chain.headAt(shipped);
    return at != null ? at : h;
  }

  private void anchor(Connection c, AuditHead head)
      throws SQLException, DatabaseException, FleetRefused {
    CentralLedger.anchor(c, station, head);
    lastAnchor = clock.instant();
  }

  private Connection connection() throws SQLException {
    if (pg == null || pg.isClosed()) {
      pg = target.open();
    }
    return pg;
  }

  private void checkLag() {
    try {
      FleetLag lag = FleetLag.of(db, clock);
      if (lag.exceeds(maxLag)) {
        problem(
            "fleet.lag",
            Severity.WARNING,
            lag.unshipped()
                + " audit entries are not shipped to the fleet ledger; the oldest is "
                + lag.oldestAge().toMinutes()
                + " min old (maxLag "
                + maxLag.toMinutes()
                + " min); check the network to "
                + target.jdbcUrl()
                + " and the daemon log");
      }
    } catch (DatabaseException e) {
      log.warn("cannot read the fleet shipping lag: {}", e.getMessage());
    }
  }

  private void problem(String kind, Severity severity, String message) {
    log.error("{}: {}", kind, message);
    String key = kind + ":" + message.replaceAll("[0-9]+ min", "");
    if (key.equals(lastProblem) || alerts == null) {
      return;
    }
    lastProblem = key;
    try {
      alerts.raise(severity, kind, message);
    } catch (DatabaseException e) {
      log.warn("cannot raise the {} alert: {}", kind, e.getMessage());
    }
  }

  private void closeConnection() {
    if (pg != null) {
      try {
        pg.close();
      } catch (SQLException ignored) {
        // already broken
      }
      pg = null;
    }
  }

  /** Stops the shipper thread (waits up to 10 s for a batch in flight) and its connection. */
  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      closeConnection();
    }
  }
}
