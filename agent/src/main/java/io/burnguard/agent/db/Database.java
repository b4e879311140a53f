package io.burnguard.agent.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's SQLite database.
 *
 * <p>Design:
 *
 * <ul>
 *   <li><b>Durability.</b> WAL journal with {@code synchronous=FULL}: a committed burn record
 *       survives a power cut. Foreign keys are on for every connection.
 *   <li><b>Locking story.</b> Exactly one writer connection, used under a fair lock, so writes are
 *       serialized inside the process and never meet {@code SQLITE_BUSY} from a sibling. Readers
 *       open their own read-only connections; WAL lets them run beside the writer.
 *   <li><b>Migrations.</b> Versioned SQL scripts {@code db/migration/V<n>__<name>.sql} on the
 *       classpath, listed in {@link #MIGRATIONS}; each is applied in its own transaction and
 *       recorded in {@code schema_version}. A database newer than this build is refused rather than
 *       guessed at.
 * </ul>
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** Migration scripts in order. Append only; never edit a released one. */
  static final List<String> MIGRATIONS =
      List.of(
          "V1__foundation.sql",
          "V2__ledger.sql",
          "V3__vetting.sql",
          "V4__scan.sql",
          "V5__ports.sql",
          "V6__parts.sql",
          "V7__parts_usb.sql");

  private final Path file;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final java.util.concurrent.ConcurrentLinkedDeque<Connection> readers =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private volatile boolean closed;
  private static final int MAX_IDLE_READERS = 4;
  private volatile CommitHook hook; // set once, by the audit chain that projects this database

  private Database(Path file, Connection writer) {
    this.file = file;
    this.writer = writer;
  }

  /**
   * Opens (creating if needed) the database file and brings its schema up to date.
   *
   * @throws DatabaseException when the file cannot be opened, written or migrated
   */
  public static Database open(Path file) throws DatabaseException {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      ownerOnly(file);
    } catch (IOException e) {
      throw new DatabaseException(
          "cannot create the directory for the database " + file + ": " + e.getMessage(), e);
    }
    Connection c = null;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
          String mode = rs.next() ? rs.getString(1) : "?";
          if (!"wal".equalsIgnoreCase(mode)) {
            throw new DatabaseException(
                "the database " + file + " could not be switched to WAL mode (got " + mode + ")");
          }
        }
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
      }
      Database db = new Database(file, c);
      db.migrate();
      ownerOnly(file);
      return db;
    } catch (SQLException e) {
      closeQuietly(c);
      throw new DatabaseException(describe(file, e), e);
    } catch (IOException e) {
      closeQuietly(c);
      throw new DatabaseException(
          "cannot set the mode of the database " + file + " to 0600: " + e.getMessage(), e);
    } catch (DatabaseException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Mode of the database and its -wal and -shm files: the daemon's user only. */
  static final String FILE_MODE = "rw-------";

  /**
   * Creates the database file {@code 0600} before SQLite does, and sets {@code 0600} on it and on
   * its -wal and -shm files (issue 12.10): a daemon started outside systemd with umask 022 would
   * leave the ledger world-readable. SQLite gives the -wal and -shm files the database file's mode,
   * and they are set here too in case they were made earlier under another umask.
   */
  private static void ownerOnly(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createFile(
            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FILE_MODE)));
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile; its mode is set below
      }
    }
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = file.resolveSibling(file.getFileName() + suffix);
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(FILE_MODE));
      }
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** Work done with a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs inside every write transaction, last before the commit, and once after it (issue 11: the
   * audit chain records every change of a projected table in the transaction that made it).
   */
  public interface CommitHook {
    /** Called with the writer inside the transaction, after the work, before the commit. */
    void beforeCommit(Connection writer) throws SQLException;

    /** Called after a successful commit (still under the write lock). */
    void afterCommit();

    /** Called after a rollback. */
    void afterRollback();
  }

  /**
   * Installs the commit hook, once: returns false (and installs nothing) when one is already
   * installed. {@code setup} runs first on the writer, outside any transaction, e.g. to create
   * per-connection TEMP triggers.
   */
  public boolean installCommitHook(CommitHook h, Work<?> setup) throws DatabaseException {
    writeLock.lock();
    try {
      if (hook != null) {
        return false;
      }
      setup.run(writer);
      hook = h;
      return true;
    } catch (SQLException e) {
      throw new DatabaseException(describe(file, e), e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code work} in one write transaction on the single writer connection. Commits when it
   * returns, rolls back when it throws.
   */
  public <T> T write(Work<T> work) throws DatabaseException {
    writeLock.lock();
    CommitHook h = hook;
    try {
      writer.setAutoCommit(false);
      try {
        T result = work.run(writer);
        if (h != null) {
          h.beforeCommit(writer);
        }
        writer.commit();
        if (h != null) {
          h.afterCommit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        if (h != null) {
          h.afterRollback();
        }
        throw e;
      } finally {
        restoreAutoCommit();
      }
    } catch (SQLException e) {
      throw new DatabaseException(describe(file, e), e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code work} on a read-only connection (readers never block the writer in WAL mode).
   * Connections are reused from a small pool: opening one costs far more than a trace query.
   *
   * <p>A pooled SQLite connection keeps its read snapshot for as long as any statement on it is
   * still active, so a statement the work forgot to close would make every later read on that
   * connection stale. The work therefore sees a wrapper that records every statement it makes, and
   * all of them are closed when it returns, whatever the work did.
   */
  public <T> T read(Work<T> work) throws DatabaseException {
    Connection c = readers.pollFirst();
    boolean healthy = false;
    List<java.sql.Statement> made = new ArrayList<>();
    try {
      if (c == null) {
        org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.enforceForeignKeys(true);
        cfg.setBusyTimeout(5000);
        c = cfg.createConnection("jdbc:sqlite:" + file);
      }
      T result = work.run(tracking(c, made));
      healthy = closeAll(made) && c.getAutoCommit();
      return result;
    } catch (SQLException e) {
      throw new DatabaseException(describe(file, e), e);
    } finally {
      if (c != null) {
        if (healthy && !closed && readers.size() < MAX_IDLE_READERS) {
          readers.offerFirst(c);
        } else {
          closeAll(made);
          closeQuietly(c);
        }
      }
    }
  }

  /** A view of {@code c} that records the statements made through it. */
  private static Connection tracking(Connection c, List<java.sql.Statement> made) {
    return (Connection)
        java.lang.reflect.Proxy.newProxyInstance(
            Database.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null; // the pool owns the connection
              }
              Object r;
              try {
                r = method.invoke(c, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
              if (r instanceof java.sql.Statement st) {
                made.add(st);
              }
              return r;
            });
  }

  private static boolean closeAll(List<java.sql.Statement> made) {
    boolean ok = true;
    for (java.sql.Statement st : made) {
      try {
        st.close();
      } catch (SQLException e) {
        ok = false;
      }
    }
    made.clear();
    return ok;
  }

  /**
   * Puts the writer back into auto-commit. SQLite may already have rolled back on its own (for
   * example on SQLITE_FULL), in which case this throws; that must not mask the original error.
   */
  private void restoreAutoCommit() {
    try {
      writer.setAutoCommit(true);
    } catch (SQLException e) {
      log.debug("restoring auto-commit on {}: {}", file, e.getMessage());
    }
  }

  /**
   * Proves the database can take a write right now: a write transaction that touches the file and
   * is rolled back. Used before a burn starts and by {@code doctor}.
   */
  public void checkWritable() throws DatabaseException {
    writeLock.lock();
    try {
      writer.setAutoCommit(false);
      try (Statement s = writer.createStatement()) {
        s.executeUpdate("INSERT INTO write_probe(at) VALUES (strftime('%s','now'))");
        s.executeUpdate("DELETE FROM write_probe");
        writer.commit();
      } catch (SQLException e) {
        rollbackQuietly();
        throw e;
      } finally {
        restoreAutoCommit();
      }
    } catch (SQLException e) {
      throw new DatabaseException(describe(file, e), e);
    } finally {
      writeLock.unlock();
    }
  }

  /** The schema version this database is at. */
  public int schemaVersion() throws DatabaseException {
    return read(Database::currentVersion);
  }

  private void migrate() throws DatabaseException, SQLException {
    try (Statement s = writer.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
              + " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
    }
    int current = currentVersion(writer);
    if (current > MIGRATIONS.size()) {
      throw new DatabaseException(
          String.format(
              Locale.ROOT,
              "the database %s is at schema version %d but this BurnGuard knows only up to %d;"
                  + " run the newer BurnGuard that wrote it, or restore a backup",
              file,
              current,
              MIGRATIONS.size()));
    }
    for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
      String name = MIGRATIONS.get(v - 1);
      String sql = loadScript(name);
      writer.setAutoCommit(false);
      try (Statement s = writer.createStatement()) {
        for (String stmt : splitStatements(sql)) {
          s.execute(stmt);
        }
        try (PreparedStatement ins =
            writer.prepareStatement("INSERT INTO schema_version(version, name) VALUES (?, ?)")) {
          ins.setInt(1, v);
          ins.setString(2, name);
          ins.executeUpdate();
        }
        writer.commit();
        log.info("database {}: applied migration {}", file, name);
      } catch (SQLException e) {
        rollbackQuietly();
        throw new DatabaseException(
            "migration " + name + " failed on " + file + ": " + e.getMessage(), e);
      } finally {
        writer.setAutoCommit(true);
      }
    }
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static String loadScript(String name) throws DatabaseException {
    String resource = "/db/migration/" + name;
    try (InputStream in = Database.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new DatabaseException("migration script " + resource + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatabaseException("cannot read migration script " + resource, e);
    }
  }

  /** Splits a script on semicolons that end a line; scripts keep one statement per block. */
  static List<String> splitStatements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : sql.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        continue;
      }
      cur.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String stmt = cur.toString().strip();
        out.add(stmt.substring(0, stmt.length() - 1));
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }

  /**
   * A commit hook's refusal of a transaction (not a database fault): its message is the whole
   * sentence shown to the caller.
   */
  public static final class Refused extends SQLException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  /** Turns SQLite's error into a sentence that says what to do. */
  static String describe(Path file, SQLException e) {
    if (e instanceof Refused) {
      return e.getMessage();
    }
    String m = String.valueOf(e.getMessage());
    String hint;
    if (m.contains("SQLITE_FULL") || m.contains("disk is full")) {
      hint = "the disk holding it is full; free space in its directory";
    } else if (m.contains("SQLITE_BUSY") || m.contains("locked")) {
      hint = "another process holds a lock on it; stop the other BurnGuard or sqlite3 session";
    } else if (m.contains("SQLITE_READONLY") || m.contains("readonly")) {
      hint = "it or its directory is read-only; check the file owner and mode and the mount";
    } else if (m.contains("SQLITE_CORRUPT")
        || m.contains("SQLITE_NOTADB")
        || m.contains("malformed")) {
      hint = "it is corrupt; restore it from a backup (keep the damaged file for analysis)";
    } else if (m.contains("SQLITE_CANTOPEN")) {
      hint = "it cannot be opened; check that the data directory exists and is writable";
    } else {
      hint = "see the daemon log for details";
    }
    return "the database " + file + " cannot be used: " + hint + " (" + m + ")";
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException e) {
      log.warn("rollback failed on {}: {}", file, e.getMessage());
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing; the original error is reported
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c = readers.pollFirst(); c != null; c = readers.pollFirst()) {
      closeQuietly(c);
    }
    writeLock.lock();
    try {
      writer.close();
    } catch (SQLException e) {
      log.warn("closing {} failed: {}", file, e.getMessage());
    } finally {
      writeLock.unlock();
    }
  }
}
