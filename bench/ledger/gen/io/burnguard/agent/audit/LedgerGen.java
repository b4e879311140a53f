// Issue 11 benchmark: a fast generator of a station database with N burns, as the daemon writes it.
//
// It lives in the production package (io.burnguard.agent.audit) so that it can use the
// production codecs the chain itself uses (EntryCodec for hashes, RowImage/Canonical for row
// payloads, StationKey for signatures, AuditHead for the head file); compile it against the
// agent jars and run it on the same class path (bench/ledger/gen-ledger.sh does both).
//
//   setup  DIR ORDERS          new station in DIR through the real daemon code (schema, key,
//                              snapshot marker) with ORDERS work orders of 1,000,000 units each
//   writer DIR FROM TO fixed   burns FROM..TO-1 through the real LedgerService (startBurn +
//                              finishBurn), clock fixed at T0: the reference for the proof
//   bulk   DIR FROM TO CLOCK   the same burns written in large transactions: rows inserted in
//                              their final form, both chain entries per burn (burn.started with the
//                              STARTED row image, burn.passed with the final one) built with the
//                              production codecs and signed in parallel; CLOCK is "fixed" (all
//                              times T0, to compare with writer) or "tick" (3 s per burn)
//
// The fleet benchmark (bench/fleet/run.sh with FLEET_GEN) calls station(...) in its own JVM for
// each simulated station: the same setup and bulk writes, with the station's id, its own key and
// its own range of burn numbers (so barcodes are unique across the fleet), and every
// RECALL_EVERY-th burn with firmware version 5.4.2 instead of 5.4.1 (the units a recall lists).
package io.burnguard.agent.audit;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.ledger.BurnRecord;
import io.burnguard.agent.ledger.BurnRequest;
import io.burnguard.agent.ledger.BurnResult;
import io.burnguard.agent.ledger.LedgerService;
import io.burnguard.agent.orders.BarcodeRule;
import io.burnguard.agent.orders.CheckDigit;
import io.burnguard.agent.orders.DuplicatePolicy;
import io.burnguard.agent.orders.OrderSpec;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

public final class LedgerGen {
  static final Instant T0 = Instant.parse("2026-01-05T06:00:00Z");
  static final long PER_ORDER = 1_000_000;
  static final List<String> SIGNERS = List.of("CN=Release Signer A", "CN=Release Signer B");
  static final String SIGNERS_JSON = "[\"CN=Release Signer A\",\"CN=Release Signer B\"]";
  static final String FW_SHA = "3f".repeat(32);
  static final String READBACK = "c4".repeat(32);
  // burns per transaction (5,000: 10,000 entries); prove-gen.sh uses small ones to test chunking
  static final int CHUNK = Integer.getInteger("gen.chunk", 5_000);
  // what station(...) sets for one simulated fleet station; the defaults are the issue-11 station
  static String stationId = "line3-st07";
  static int recallEvery;
  static boolean progress = true;

  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[1]);
    switch (a[0]) {
      case "setup" -> setup(dir, Integer.parseInt(a[2]));
      case "writer" -> writer(dir, Long.parseLong(a[2]), Long.parseLong(a[3]));
      case "bulk" -> bulk(dir, Long.parseLong(a[2]), Long.parseLong(a[3]), a[4].equals("tick"));
      default -> throw new IllegalArgumentException("unknown mode " + a[0]);
    }
  }

  /**
   * One simulated fleet station in {@code dir}: setup, then burns {@code from..to-1} in bulk
   * (clock ticking), as station {@code id}; every {@code everyNth} burn gets version 5.4.2.
   */
  public static synchronized void station(Path dir, String id, long from, long to, int everyNth)
      throws Exception {
    stationId = id;
    recallEvery = everyNth;
    progress = false;
    setup(dir, (int) ((to + PER_ORDER - 1) / PER_ORDER));
    bulk(dir, from, to, true);
  }

  static String version(long i) {
    return recallEvery > 0 && i % recallEvery == 0 ? "5.4.2" : "5.4.1";
  }

  static void setup(Path dir, int orders) throws Exception {
    try (Database db = Database.open(dir.resolve("burnguard.db"))) {
      LedgerService s = LedgerService.open(db, Clock.fixed(T0, ZoneOffset.UTC));
      for (int o = 0; o < orders; o++) {
        s.openOrder(
            new OrderSpec(order(o * PER_ORDER), "IPC-X1", "ipc-x1-main", "5.4.1", PER_ORDER,
                new BarcodeRule("SN[0-9]{10}", CheckDigit.NONE), DuplicatePolicy.NEVER),
            "planner");
      }
    }
  }

  static String order(long burn) {
    return String.format(Locale.ROOT, "WO-%04d", burn / PER_ORDER);
  }

  static BurnRequest request(long i) {
    return new BurnRequest(String.format(Locale.ROOT, "SN%010d", i), "IPC-X1", order(i),
        "fx" + (i % 8), "/dev/ttyUSB" + (i % 8), "uboot-serial", "ipc-x1-main", version(i), FW_SHA,
        SIGNERS, "clean", "clamav/27100", "op" + (i % 40), stationId, null);
  }

  /** The reference: burns through the real service, one transaction per state as the daemon. */
  static void writer(Path dir, long from, long to) throws Exception {
    try (Database db = Database.open(dir.resolve("burnguard.db"))) {
      LedgerService s = LedgerService.open(db, Clock.fixed(T0, ZoneOffset.UTC));
      for (long i = from; i < to; i++) {
        BurnRecord r = s.startBurn(request(i));
        s.finishBurn(r.id(), BurnResult.passed(READBACK));
      }
    }
  }

  /** The STARTED row image of burn {@code i} with row id {@code id}, as RowImage.read yields. */
  static Map<String, Object> startedRow(long i, long id, String startedAt) {
    BurnRequest r = request(i);
    Map<String, Object> m = new TreeMap<>();
    m.put("id", id);
    m.put("barcode", r.barcode());
    m.put("model", r.model());
    m.put("work_order", r.workOrder());
    m.put("fixture", r.fixture());
    m.put("port", r.port());
    m.put("driver", r.driver());
    m.put("firmware_name", r.firmwareName());
    m.put("firmware_version", r.firmwareVersion());
    m.put("firmware_sha256", r.firmwareSha256());
    m.put("signers", SIGNERS_JSON);
    m.put("scan_verdict", r.scanVerdict());
    m.put("clamd_db_version", r.clamdDbVersion());
    m.put("operator", r.operator());
    m.put("station_id", r.stationId());
    m.put("rework_reason", r.reworkReason());
    m.put("started_at", startedAt);
    m.put("ended_at", null);
    m.put("outcome", "STARTED");
    m.put("failure_reason", null);
    m.put("readback_digest", null);
    m.put("readback_match", null);
    return m;
  }

  static void bulk(Path dir, long from, long to, boolean tick) throws Exception {
    Path dbFile = dir.resolve("burnguard.db");
    StationKey key = StationKey.loadOrCreate(dir);
    int threads = Integer.getInteger("gen.threads", 3);
    ForkJoinPool pool = new ForkJoinPool(threads);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA synchronous=OFF");
        s.execute("PRAGMA cache_size=-262144");
      }
      long[] tip = tip(c);
      long seq = tip[0];
      long id = tip[1];
      byte[] prev = EntryCodec.HEX.parseHex(tipHash(c));
      MessageDigest md = EntryCodec.sha256();
      long t0 = System.nanoTime();
      Chunk pending = null;
      java.util.concurrent.Future<?> signing = null;
      for (long lo = from; lo < to; lo += CHUNK) {
        int n = (int) Math.min(CHUNK, to - lo);
        Chunk k = new Chunk(n);
        for (int j = 0; j < n; j++) {
          long i = lo + j;
          id++;
          Instant start = tick ? T0.plusSeconds(3 * i) : T0;
          String startedAt = Timestamps.format(start);
          String endedAt = Timestamps.format(tick ? start.plusSeconds(2) : T0);
          Map<String, Object> row = startedRow(i, id, startedAt);
          k.ids[j] = id;
          k.rows[j] = row;
          prev = k.entry(md, 2 * j, ++seq, startedAt, "burn.started", "burns/" + id,
              RowImage.upsert("burns", row), prev);
          row.put("ended_at", endedAt);
          row.put("outcome", "PASSED");
          row.put("readback_digest", READBACK);
          row.put("readback_match", 1L);
          prev = k.entry(md, 2 * j + 1, ++seq, endedAt, "burn.passed", "burns/" + id,
              RowImage.upsert("burns", row), prev);
        }
        // Sign this chunk on the pool while the previous one is written (pipeline).
        java.util.concurrent.Future<?> f = pool.submit(() -> IntStream.range(0, 2 * n).parallel()
            .forEach(e -> k.sig[e] = EntryCodec.HEX.formatHex(key.sign(k.hash[e]))));
        if (pending != null) {
          signing.get();
          pending.commit(c, key, dbFile);
        }
        pending = k;
        signing = f;
        long done = lo + n - from;
        if (progress && (done % 50_000 == 0 || lo + n >= to)) {
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf(Locale.ROOT, "%s bulk: %,d burns (%,d entries) built in %.0f s ="
              + " %,.0f entries/s%n", Instant.now(), done, 2 * done, s, 2 * done / s);
        }
      }
      if (pending != null) {
        signing.get();
        pending.commit(c, key, dbFile);
      }
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } finally {
      pool.shutdown();
    }
  }

  static long[] tip(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0) FROM audit_chain),"
            + " (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'burns')")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  static String tipHash(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT entry_hash FROM audit_chain ORDER BY seq DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) : EntryCodec.ZERO_HASH;
    }
  }

  /** One transaction's worth: the rows in final form and their two entries each. */
  static final class Chunk {
    final long[] ids;
    final Map<?, ?>[] rows;
    final long[] seq;
    final String[] at;
    final String[] kind;
    final String[] ref;
    final String[] payload;
    final String[] payloadHash;
    final String[] prevHash;
    final byte[][] hash;
    final String[] sig;

    Chunk(int burns) {
      ids = new long[burns];
      rows = new Map<?, ?>[burns];
      int n = 2 * burns;
      seq = new long[n];
      at = new String[n];
      kind = new String[n];
      ref = new String[n];
      payload = new String[n];
      payloadHash = new String[n];
      prevHash = new String[n];
      hash = new byte[n][];
      sig = new String[n];
    }

    /** Fills entry {@code e} exactly as AuditChain.append does; returns its hash. */
    byte[] entry(MessageDigest md, int e, long s, String a, String k, String r, String p,
        byte[] prev) {
      byte[] ph = EntryCodec.payloadHash(md, p);
      byte[] h = EntryCodec.entryHash(md, s, a, k, r, ph, prev);
      seq[e] = s;
      at[e] = a;
      kind[e] = k;
      ref[e] = r;
      payload[e] = p;
      payloadHash[e] = EntryCodec.HEX.formatHex(ph);
      prevHash[e] = EntryCodec.HEX.formatHex(prev);
      hash[e] = h;
      return h;
    }

    /** Writes the chunk in one transaction, then publishes its last entry as the head file. */
    void commit(Connection c, StationKey key, Path dbFile) throws Exception {
      write(c);
      int last = seq.length - 1;
      AuditHead.sign(key, seq[last], EntryCodec.HEX.formatHex(hash[last]), at[last])
          .writeAtomically(AuditChain.headFileFor(dbFile));
    }

    void write(Connection c) throws Exception {
      c.setAutoCommit(false);
      try (PreparedStatement b = c.prepareStatement("INSERT INTO burns(id, barcode, model,"
              + " work_order, fixture, port, driver, firmware_name, firmware_version,"
              + " firmware_sha256, signers, scan_verdict, clamd_db_version, operator, station_id,"
              + " rework_reason, started_at, ended_at, outcome, failure_reason, readback_digest,"
              + " readback_match) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
              + " ?, ?, ?, ?)");
          PreparedStatement e = c.prepareStatement("INSERT INTO audit_chain(seq, at, kind, ref,"
              + " payload, payload_hash, prev_hash, entry_hash, signature) VALUES (?, ?, ?, ?, ?,"
              + " ?, ?, ?, ?)")) {
        String[] cols = {"barcode", "model", "work_order", "fixture", "port", "driver",
            "firmware_name", "firmware_version", "firmware_sha256", "signers", "scan_verdict",
            "clamd_db_version", "operator", "station_id", "rework_reason", "started_at",
            "ended_at", "outcome", "failure_reason", "readback_digest", "readback_match"};
        for (int j = 0; j < ids.length; j++) {
          b.setLong(1, ids[j]);
          for (int x = 0; x < cols.length; x++) {
            b.setObject(x + 2, rows[j].get(cols[x]));
          }
          b.executeUpdate();
          for (int q = 2 * j; q <= 2 * j + 1; q++) {
            e.setLong(1, seq[q]);
            e.setString(2, at[q]);
            e.setString(3, kind[q]);
            e.setString(4, ref[q]);
            e.setString(5, payload[q]);
            e.setString(6, payloadHash[q]);
            e.setString(7, prevHash[q]);
            e.setString(8, EntryCodec.HEX.formatHex(hash[q]));
            e.setString(9, sig[q]);
            e.executeUpdate();
          }
        }
      }
      c.commit();
    }
  }
}
