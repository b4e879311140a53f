package io.burnguard.agent.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path tmp;

  @Test
  void opensInWalWithFullSyncAndForeignKeysAndMigrates() throws Exception {
    try (Database db = Database.open(tmp.resolve("d/bg.db"))) {
      assertEquals(Database.MIGRATIONS.size(), db.schemaVersion());
      String[] pragmas =
          db.write(
              c -> {
                try (Statement s = c.createStatement()) {
                  return new String[] {
                    one(s, "PRAGMA journal_mode"),
                    one(s, "PRAGMA synchronous"),
                    one(s, "PRAGMA foreign_keys")
                  };
                }
              });
      assertEquals("wal", pragmas[0]);
      assertEquals("2", pragmas[1], "synchronous=FULL is 2");
      assertEquals("1", pragmas[2]);
      db.checkWritable();
    }
  }

  @Test
  void reopeningDoesNotReapplyMigrations() throws Exception {
    Path f = tmp.resolve("bg.db");
    try (Database db = Database.open(f)) {
      db.write(
          c ->
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO admin_events(at, kind, detail) VALUES ('t', 'K', 'd')"));
    }
    try (Database db = Database.open(f)) {
      assertEquals(
          1L,
          (long)
                  db.read(
                      c -> {
                        try (Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
                          rs.next();
                          return rs.getLong(1);
                        }
                      })
              - Database.MIGRATIONS.size()
              + 1);
      assertEquals("K", db.read(c -> one(c.createStatement(), "SELECT kind FROM admin_events")));
    }
  }

  @Test
  void aDatabaseFromANewerBuildIsRefused() throws Exception {
    Path f = tmp.resolve("bg.db");
    try (Database db = Database.open(f)) {
      db.write(
          c ->
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO schema_version(version, name) VALUES (999, 'V999__future.sql')"));
    }
    DatabaseException e = assertThrows(DatabaseException.class, () -> Database.open(f));
    assertTrue(e.getMessage().contains("schema version 999"), e.getMessage());
    assertTrue(e.getMessage().contains("restore a backup"), e.getMessage());
  }

  @Test
  void aCorruptFileIsRefusedWithWhatToDo() throws Exception {
    Path f = tmp.resolve("bg.db");
    byte[] junk = new byte[8192];
    for (int i = 0; i < junk.length; i++) {
      junk[i] = (byte) (i * 31 + 7);
    }
    Files.write(f, junk);
    DatabaseException e = assertThrows(DatabaseException.class, () -> Database.open(f));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void aFailedWriteRollsBackEverything() throws Exception {
    try (Database db = Database.open(tmp.resolve("bg.db"))) {
      assertThrows(
          DatabaseException.class,
          () ->
              db.write(
                  c -> {
                    c.createStatement()
                        .executeUpdate(
                            "INSERT INTO admin_events(at, kind, detail) VALUES ('t', 'K', 'd')");
                    return c.createStatement()
                        .executeUpdate("INSERT INTO no_such_table VALUES (1)");
                  }));
      assertEquals(
          "0", db.read(c -> one(c.createStatement(), "SELECT COUNT(*) FROM admin_events")));
    }
  }

  @Test
  void aReaderThatLeaksAStatementDoesNotMakeLaterReadsStale() throws Exception {
    try (Database db = Database.open(tmp.resolve("bg.db"))) {
      for (int i = 0; i < 3; i++) {
        db.write(
            c ->
                c.createStatement()
                    .executeUpdate(
                        "INSERT INTO admin_events(at, kind, detail) VALUES ('t', 'K', 'd')"));
      }
      // A careless reader: its ResultSet is left open mid-iteration (an active read snapshot).
      db.read(
          c -> {
            ResultSet rs = c.createStatement().executeQuery("SELECT id FROM admin_events");
            return rs.next();
          });
      db.write(
          c ->
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO admin_events(at, kind, detail) VALUES ('t', 'NEW', 'd')"));
      for (int i = 0; i < 5; i++) {
        assertEquals(
            "1",
            db.read(
                c ->
                    one(
                        c.createStatement(),
                        "SELECT COUNT(*) FROM admin_events WHERE kind = 'NEW'")),
            "read " + i + " sees the write");
      }
    }
  }

  @Test
  void scriptsSplitOnStatementEndsAndSkipComments() {
    List<String> s =
        Database.splitStatements("-- c\nCREATE TABLE a (x);\nCREATE TABLE b (\n y\n);\n");
    assertEquals(List.of("CREATE TABLE a (x)", "CREATE TABLE b (\n y\n)"), s);
  }

  private static String one(Statement s, String sql) throws java.sql.SQLException {
    try (s;
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
