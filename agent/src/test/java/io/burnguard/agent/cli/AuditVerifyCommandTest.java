package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.audit.AuditChain;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.db.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditVerifyCommandTest {
  @TempDir Path dir;
  Path dbFile;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void chain() throws Exception {
    dbFile = dir.resolve("burnguard.db");
    try (Database db = Database.open(dbFile)) {
      AuditChain chain = AuditChain.open(db, StationKey.loadOrCreate(dir), Clock.systemUTC());
      for (int i = 0; i < 5; i++) {
        int k = i;
        chain.write(c -> chain.append(c, "test", "t/" + k, Map.of("k", k)));
      }
    }
  }

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new AuditVerifyCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(args);
  }

  @Test
  void intactChainExitsZeroWithTheCount() throws Exception {
    assertEquals(0, run("--db", dbFile.toString(), "--json"));
    JsonNode n = new ObjectMapper().readTree(out.toString());
    assertTrue(n.get("intact").asBoolean());
    assertEquals(5, n.get("entries").asLong());
  }

  @Test
  void cutTailAgainstAnExportedHeadExitsThree() throws Exception {
    Path exported = dir.resolve("exported.head");
    Files.copy(AuditChain.headFileFor(dbFile), exported);
    Files.delete(AuditChain.headFileFor(dbFile));
    assertEquals(3, run("--db", dbFile.toString(), "--head", exported.toString()));
    assertTrue(err.toString().contains("AUDIT CHAIN BROKEN"), err.toString());
  }

  @Test
  void unreadableDatabaseExitsFiveAndMissingKeyExitsTwo() throws Exception {
    Path junk = dir.resolve("junk.db");
    Files.write(junk, new byte[4096]);
    Files.writeString(junk, "this is not a database");
    assertEquals(
        5, run("--db", junk.toString(), "--key", dir.resolve(StationKey.PUBLIC_FILE).toString()));
    assertEquals(2, run("--db", dbFile.toString(), "--key", dir.resolve("nope.pub").toString()));
  }
}
