package io.burnguard.agent.audit;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to the tamper-evident audit chain (docs/architecture.md, "Data that must never be lost").
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>Same transaction.</b> {@link #append} runs on the caller's write connection inside the
 *       transaction that writes the event it records, so an event and its audit entry commit
 *       together or not at all. Use {@link #write} instead of {@link Database#write} for such
 *       transactions: it also publishes the new head after the commit.
 *   <li><b>Chain.</b> Each entry hashes its sequence, time, kind, ref, payload hash and the
 *       previous entry's hash, and is signed by the station key ({@link EntryCodec}). Sequence is
 *       last + 1, read inside the transaction, so the single writer never races itself.
 *   <li><b>Head file.</b> {@code <db>.head} beside the database holds the signed latest head,
 *       rewritten atomically after each commit (never before: a head ahead of the database would
 *       look like a cut tail). A crash between commit and rewrite leaves the head one behind, which
 *       verification accepts. A head on disk ahead of the database is never overwritten by a lower
 *       one, so the evidence of a cut tail survives until someone looks.
 * </ul>
 */
public final class AuditChain {
  private static final Logger log = LoggerFactory.getLogger(AuditChain.class);

  private final Database db;
  private final StationKey key;
  private final Path headFile;
  private final Clock clock;
  private final ThreadLocal<AuditEntry> pending = new ThreadLocal<>();
  private final ThreadLocal<MessageDigest> sha = ThreadLocal.withInitial(EntryCodec::sha256);
  private long publishedSeq; // guarded by this
  private boolean hooked; // set once in open: this chain journals and publishes via the db hook
  private volatile VettingWriteGate gate;
  private final ThreadLocal<Boolean> gated = new ThreadLocal<>(); // this transaction passed it

  /**
   * Decides whether a write transaction may change the vetting state (issue 11): the anti-rollback
   * versions, the withdrawal sequence and list, the release catalog.
   *
   * <p>Threat: these tables are projections of the chain, so a write that chains a row makes the
   * table agree with the chain again. A writer that stores its own copy when it finds the table
   * different (the trust refresher re-storing the server's withdrawal list) would thereby erase the
   * evidence of a tamper: {@code audit verify} would pass. The gate runs before the first such row
   * is chained, inside the writer's transaction, and may only read (it must not write on the writer
   * connection: its work would commit with the refused transaction).
   */
  @FunctionalInterface
  public interface VettingWriteGate {
    /**
     * @throws Database.Refused to refuse: the transaction rolls back and the caller gets a {@link
     *     DatabaseException} with this message
     */
    void allowVettingWrite() throws SQLException;
  }

  private AuditChain(Database db, StationKey key, Path headFile, Clock clock, long publishedSeq) {
    this.db = db;
    this.key = key;
    this.headFile = headFile;
    this.clock = clock;
    this.publishedSeq = publishedSeq;
  }

  /**
   * Opens the chain of {@code db}, signing with {@code key}; the head file is {@link #headFileFor}.
   *
   * @throws IOException when an existing head file cannot be read
   */
  public static AuditChain open(Database db, StationKey key, Clock clock) throws IOException {
    Path head = headFileFor(db.file());
    long published = Files.exists(head) ? AuditHead.read(head).sequence() : 0;
    AuditChain chain = new AuditChain(db, key, head, clock, published);
    try {
      chain.hooked = db.installCommitHook(chain.new Hook(), RowJournal::install);
    } catch (DatabaseException e) {
      throw new IOException("cannot set up the row journal: " + e.getMessage(), e);
    }
    return chain;
  }

  /** Chains the rows the transaction changed (issue 11) and publishes the head after the commit. */
  private final class Hook implements Database.CommitHook {
    @Override
    public void beforeCommit(Connection writer) throws SQLException {
      RowJournal.drain(writer, AuditChain.this);
    }

    @Override
    public void afterCommit() {
      gated.remove();
      AuditEntry last = pending.get();
      pending.remove();
      if (last != null) {
        publish(last);
      }
    }

    @Override
    public void afterRollback() {
      gated.remove();
      pending.remove();
    }
  }

  /** The head file kept beside a database file: {@code <name>.head}. */
  public static Path headFileFor(Path dbFile) {
    return dbFile.resolveSibling(dbFile.getFileName() + ".head");
  }

  /** The head file this chain publishes to. */
  public Path headFile() {
    return headFile;
  }

  /**
   * Installs the gate every transaction that chains a row of the vetting state must pass (at most
   * once per transaction). Only for a chain opened with its commit hook (the daemon's).
   */
  public void gateVettingWrites(VettingWriteGate g) {
    this.gate = g;
  }

  /** The station's raw public key. */
  public byte[] publicKey() {
    return key.publicKey();
  }

  /**
   * Runs {@code work} in one write transaction, then publishes the head if the work appended.
   *
   * @throws DatabaseException when the transaction fails (nothing was written)
   */
  public <T> T write(Database.Work<T> work) throws DatabaseException {
    if (hooked) {
      return db.write(work); // the hook chains journaled rows and publishes
    }
    pending.remove();
    try {
      T result = db.write(work);
      AuditEntry last = pending.get();
      if (last != null) {
        publish(last);
      }
      return result;
    } finally {
      pending.remove();
    }
  }

  /**
   * Appends a row entry (issue 11): reads the current row of {@code table} with these key values
   * and chains it in full (or its deletion, when the row is gone) under ref {@code table/key}. Call
   * after the statement that changed the row, inside the same transaction.
   *
   * @throws IllegalArgumentException when {@code table} is not a projected table
   */
  public AuditEntry appendRow(Connection c, String kind, String table, Object... key)
      throws SQLException {
    Projection p =
        Projection.of(table)
            .orElseThrow(() -> new IllegalArgumentException("table " + table + " is not chained"));
    return appendRow(c, kind, p, key, hooked);
  }

  AuditEntry appendRow(Connection c, String kind, Projection p, Object[] key, boolean journaled)
      throws SQLException {
    String table = p.table();
    VettingWriteGate g = gate;
    if (g != null && hooked && gated.get() == null && ProjectionGuard.GUARDED.contains(table)) {
      g.allowVettingWrite();
      gated.set(Boolean.TRUE);
    }
    String ref = p.ref(key);
    String payload;
    try (PreparedStatement q =
        c.prepareStatement("SELECT * FROM " + table + " WHERE " + p.keyWhere())) {
      for (int i = 0; i < key.length; i++) {
        q.setObject(i + 1, key[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        payload =
            rs.next()
                ? RowImage.upsert(table, RowImage.read(rs, rs.getMetaData().getColumnCount()))
                : RowImage.deletion(table, java.util.Arrays.asList(key));
      }
    }
    AuditEntry e = append(c, kind, ref, payload);
    if (journaled) {
      RowJournal.done(c, ref);
    }
    return e;
  }

  /** Appends an event; {@code payload} is made canonical with {@link Canonical#json}. */
  public AuditEntry append(Connection c, String kind, String ref, Map<String, ?> payload)
      throws SQLException {
    return append(c, kind, ref, Canonical.json(payload));
  }

  /**
   * Appends one entry on {@code c}, which must be inside a write transaction (see {@link #write}).
   */
  public AuditEntry append(Connection c, String kind, String ref, String payload)
      throws SQLException {
    if (c.getAutoCommit()) {
      throw new IllegalStateException("audit append outside a transaction; use AuditChain.write");
    }
    long seq = 1;
    String prev = EntryCodec.ZERO_HASH;
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT seq, entry_hash FROM audit_chain ORDER BY seq DESC LIMIT 1");
        ResultSet rs = q.executeQuery()) {
      if (rs.next()) {
        seq = rs.getLong(1) + 1;
        prev = rs.getString(2);
      }
    }
    String at = Timestamps.format(clock.instant());
    MessageDigest md = sha.get();
    byte[] payloadHash = EntryCodec.payloadHash(md, payload);
    byte[] entryHash =
        EntryCodec.entryHash(md, seq, at, kind, ref, payloadHash, EntryCodec.HEX.parseHex(prev));
    AuditEntry e =
        new AuditEntry(
            seq,
            at,
            kind,
            ref,
            payload,
            EntryCodec.HEX.formatHex(payloadHash),
            prev,
            EntryCodec.HEX.formatHex(entryHash),
            EntryCodec.HEX.formatHex(key.sign(entryHash)));
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO audit_chain(seq, at, kind, ref, payload, payload_hash, prev_hash,"
                + " entry_hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ins.setLong(1, e.seq());
      ins.setString(2, e.at());
      ins.setString(3, e.kind());
      ins.setString(4, e.ref());
      ins.setString(5, e.payload());
      ins.setString(6, e.payloadHash());
      ins.setString(7, e.prevHash());
      ins.setString(8, e.entryHash());
      ins.setString(9, e.signature());
      ins.executeUpdate();
    }
    pending.set(e);
    return e;
  }

  /** The current head, freshly signed, for {@code audit head} and anchoring elsewhere. */
  public AuditHead head() throws DatabaseException {
    String[] tip =
        db.read(
            c -> {
              try (PreparedStatement q =
                      c.prepareStatement(
                          "SELECT seq, entry_hash FROM audit_chain ORDER BY seq DESC LIMIT 1");
                  ResultSet rs = q.executeQuery()) {
                return rs.next()
                    ? new String[] {Long.toString(rs.getLong(1)), rs.getString(2)}
                    : new String[] {"0", EntryCodec.ZERO_HASH};
              }
            });
    return AuditHead.sign(key, Long.parseLong(tip[0]), tip[1], Timestamps.format(clock.instant()));
  }

  /**
   * A freshly signed head for entry {@code seq} of this chain (the fleet shipper anchors exactly
   * what it shipped); null when the chain has no such entry. Signs only a hash read from the chain.
   */
  public AuditHead headAt(long seq) throws DatabaseException {
    String hash =
        db.read(
            c -> {
              try (PreparedStatement q =
                  c.prepareStatement("SELECT entry_hash FROM audit_chain WHERE seq = ?")) {
                q.setLong(1, seq);
                try (ResultSet rs = q.executeQuery()) {
                  return rs.next() ? rs.getString(1) : null;
                }
              }
            });
    return hash == null ? null : AuditHead.sign(key, seq, hash, Timestamps.format(clock.instant()));
  }

  private synchronized void publish(AuditEntry e) {
    if (e.seq() <= publishedSeq) {
      if (publishedSeq > e.seq() + 1) {
        log.warn(
            "audit head {} records entry {} but the database is at {}; leaving the head file as"
                + " evidence; run: burnguard audit verify",
            headFile,
            publishedSeq,
            e.seq());
      }
      return;
    }
    try {
      AuditHead.sign(key, e.seq(), e.entryHash(), e.at()).writeAtomically(headFile);
      publishedSeq = e.seq();
    } catch (IOException x) {
      // The entry is committed; only the cut-tail evidence is stale. Say so loudly.
      log.error(
          "audit entry {} is committed but the head file {} could not be rewritten: {};"
              + " check the data directory's space and permissions",
          e.seq(),
          headFile,
          x.getMessage());
    }
  }
}
