package io.burnguard.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.burnguard.agent.audit.StationKey;
import io.burnguard.agent.control.Wire;
import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key parts through the real daemon and CLI (issue 15): image files as devices, OS users for the
 * roles (root engineer, daemon and bin security, nobody qa), clamd with the EICAR fixture, and the
 * sqlite3 command line for tampering with a copy of the station database.
 */
class PartsDaemonIT {
  private static final long SIZE = 8L << 20;
  private static final byte[] MARKER =
      "BURNGUARD-PARTS-IT-MARKER".getBytes(StandardCharsets.US_ASCII);
  private static final String SUPPLIER = "Acme Memory Ltd";

  @TempDir Path tmp;

  private static ClamdFixture clamd;
  private DaemonHarness h;
  private Path images;

  @BeforeAll
  static void startClamd() throws IOException {
    clamd = ClamdFixture.builder().start();
  }

  @AfterAll
  static void stopClamd() throws IOException {
    clamd.close();
  }

  private static final String ROLES =
      "  root: engineer\n  daemon: security\n  bin: security\n  nogroup: qa\n";
  private static final String PARTS =
      "parts:\n  suppliers: [" + SUPPLIER + "]\n  inventoryInterval: 1h\n";

  @BeforeEach
  void start() throws Exception {
    h = new DaemonHarness(tmp, clamd.unixAddress().toString(), ROLES, "nogroup", PARTS);
    h.start();
    images = Files.createDirectories(tmp.resolve("images"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void registerSanitizeCertificateInstallTraceScrapWitness() throws Exception {
    Path img = planted("a.img", SIZE);
    ok(h.cli("parts", "register", "P1", "--device", img.toString(), "--supplier", SUPPLIER));
    DaemonHarness.Run qa =
        h.cliAs(
            "nobody",
            "parts",
            "register",
            "P9",
            "--device",
            img.toString(),
            "--supplier",
            SUPPLIER);
    assertEquals(3, qa.exit(), qa.toString());
    assertTrue(qa.toString().contains("needs the role engineer"), qa.toString());

    DaemonHarness.Run early = h.cli("parts", "install", "P1", "--unit", "U-0001");
    assertEquals(3, early.exit(), early.toString());
    assertTrue(early.err().contains("RECEIVED"), "current state named: " + early);

    DaemonHarness.Run s = h.cli("parts", "sanitize", "P1", "--device", img.toString());
    ok(s);
    assertTrue(s.out().contains("part P1 is SANITIZED; certificate P1-"), s.toString());
    assertTrue(s.err().contains("overwrite") && s.err().contains("verify"), s.toString());
    assertFalse(contains(img, MARKER), "no planted marker survives the sanitize");
    Process fsck = new ProcessBuilder("fsck.vfat", "-n", img.toString()).inheritIO().start();
    assertTrue(fsck.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, fsck.exitValue(), "fsck.vfat -n on the sanitized image");

    DaemonHarness.Run cj = h.cliAs("nobody", "parts", "certificate", "P1", "--json");
    ok(cj);
    JsonNode c = Wire.mapper().readTree(cj.out());
    assertEquals("P1", c.path("partId").asText(), cj.out());
    assertEquals("CLEAR", c.path("method").asText(), cj.out());
    assertEquals("root", c.path("operator").asText(), cj.out());
    assertEquals(SIZE, c.path("bytesVerified").asLong(), cj.out());
    assertTrue(c.path("verificationResult").asText().startsWith("PASSED"), cj.out());
    assertTrue(c.path("tool").asText().startsWith("BurnGuard"), cj.out());
    assertEquals("test-station", c.path("station").asText(), cj.out());

    ok(h.cli("parts", "install", "P1", "--unit", "U-0001"));
    DaemonHarness.Run again = h.cli("parts", "sanitize", "P1", "--device", img.toString());
    assertEquals(3, again.exit(), again.toString());
    assertTrue(again.err().contains("INSTALLED"), "current state named: " + again);
    DaemonHarness.Run trace = h.cliAs("nobody", "trace", "U-0001");
    ok(trace);
    assertTrue(
        trace.out().contains("key part P1 (IMAGE_FILE")
            && trace.out().contains(c.path("certificateId").asText()),
        trace.toString());

    DaemonHarness.Run inv =
        h.cliAs("nobody", "parts", "inventory", "--json", "--device", img.toString());
    ok(inv);
    JsonNode row = Wire.mapper().readTree(inv.out()).path("parts").get(0);
    assertEquals("P1", row.path("part").asText(), inv.out());
    assertTrue(row.path("present").asBoolean(), inv.out());
    DaemonHarness.Run csv = h.cliAsWithGroup("daemon", "nogroup", "parts", "inventory", "--csv");
    ok(csv);
    assertTrue(
        csv.out().startsWith("part,state,expected,present,device,last_seen"), csv.toString());
    assertTrue(csv.out().contains("\nP1,INSTALLED,true,false,"), csv.toString());

    DaemonHarness.Run show = h.cliAs("nobody", "parts", "show", "P1", "--json");
    ok(show);
    JsonNode shown = Wire.mapper().readTree(show.out());
    assertEquals("INSTALLED", shown.path("state").asText(), show.out());
    assertEquals("U-0001", shown.path("unit").asText(), show.out());
    assertTrue(shown.path("usb").isNull(), "an image file is not on USB: " + show.out());
    assertEquals(c.path("certificateId").asText(), shown.path("certificateId").asText());
    assertEquals("REGISTERED", shown.path("events").get(0).path("kind").asText(), show.out());
    assertEquals("INSTALLED", shown.path("events").get(3).path("kind").asText(), show.out());
    DaemonHarness.Run showText = h.cliAs("nobody", "parts", "show", "P1");
    ok(showText);
    assertTrue(
        showText.out().contains("USB device:    (not on USB)")
            && showText.out().contains("History:")
            && showText.out().contains("SANITIZED -> SANITIZED by root"),
        showText.toString());
    ok(h.cli("parts", "scrap", "P1", "--method", "shred", "--note", "job 12"));
    DaemonHarness.Run byEngineer = h.cli("parts", "witness", "P1");
    assertEquals(3, byEngineer.exit(), byEngineer.toString());
    assertTrue(byEngineer.toString().contains("needs the role security"), byEngineer.toString());
    DaemonHarness.Run w = h.cliAsWithGroup("bin", "nogroup", "parts", "witness", "P1");
    ok(w);
    assertTrue(w.out().contains("part P1 is SCRAPPED, witnessed by bin"), w.toString());
    DaemonHarness.Run twice = h.cliAsWithGroup("daemon", "nogroup", "parts", "witness", "P1");
    assertEquals(3, twice.exit(), twice.toString());
    assertTrue(twice.err().contains("SCRAPPED"), twice.toString());

    ok(h.cliAs("nobody", "parts", "inventory", "--device", img.toString()));
    Path db = h.dataDir().resolve("burnguard.db");
    assertEquals(
        "CRITICAL|parts.scrapped-seen",
        Sqlite3Cli.run(db, "SELECT severity || '|' || kind FROM alerts WHERE kind LIKE 'parts.%';")
            .strip());
    // Every event is a chain entry of its own kind, with the event row as its payload.
    String events = Sqlite3Cli.run(db, "SELECT count(*) FROM key_part_events;").strip();
    String chained =
        Sqlite3Cli.run(
                db,
                "SELECT count(*) FROM audit_chain WHERE ref LIKE 'key_part_events/%'"
                    + " AND kind LIKE 'part.%';")
            .strip();
    // registered, sanitize started, sanitized, installed, scrap recorded, witnessed, and the
    // inventory's scrapped-seen alert on record
    assertEquals("7", events);
    assertEquals(events, chained);
  }

  @Test
  void theWitnessMustBeAnotherPersonAndScrapMethodsAreDestroyMethods() throws Exception {
    Path img = planted("b.img", SIZE);
    ok(h.cli("parts", "register", "P2", "--device", img.toString(), "--supplier", SUPPLIER));
    DaemonHarness.Run degauss = h.cli("parts", "scrap", "P2", "--method", "degauss");
    assertEquals(2, degauss.exit(), degauss.toString());
    assertTrue(
        degauss.err().contains("shred, disintegrate, crush or incinerate"), degauss.toString());
    // daemon with primary group root holds engineer (root) and security (daemon).
    ok(
        h.cliAsWithPrimaryGroup(
            "daemon", "root", "nogroup", "parts", "scrap", "P2", "--method", "crush"));
    DaemonHarness.Run same =
        h.cliAsWithPrimaryGroup("daemon", "root", "nogroup", "parts", "witness", "P2");
    assertEquals(3, same.exit(), same.toString());
    assertTrue(
        same.err().contains("daemon recorded the scrapping and cannot also witness it"),
        same.toString());
    DaemonHarness.Run sanitize = h.cli("parts", "sanitize", "P2", "--device", img.toString());
    assertEquals(3, sanitize.exit(), sanitize.toString());
    ok(h.cliAsWithGroup("bin", "nogroup", "parts", "witness", "P2"));
    DaemonHarness.Run unknown = h.cli("parts", "certificate", "P2");
    assertEquals(3, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().contains("never sanitized"), unknown.toString());
  }

  @Test
  void detectionSendsThePartBackAndAuditVerifyCatchesAnEditedPartsRow() throws Exception {
    Path img = planted("c.img", SIZE);
    ok(h.cli("parts", "register", "P3", "--device", img.toString(), "--supplier", SUPPLIER));
    ok(h.cli("parts", "sanitize", "P3", "--device", img.toString()));
    ok(h.cli("parts", "scan", "P3", "--device", img.toString()));
    Path eicar = Files.writeString(tmp.resolve("eicar.com"), ClamdFixture.EICAR);
    Process m =
        new ProcessBuilder("mcopy", "-i", img.toString(), eicar.toString(), "::/EICAR.COM")
            .inheritIO()
            .start();
    assertTrue(m.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, m.exitValue(), "mcopy");
    DaemonHarness.Run scan = h.cli("parts", "scan", "P3", "--device", img.toString());
    assertEquals(3, scan.exit(), scan.toString());
    assertTrue(scan.err().contains(ClamdFixture.EICAR_SIGNATURE), scan.toString());
    assertTrue(scan.err().contains("back in RECEIVED"), scan.toString());
    Path db = h.dataDir().resolve("burnguard.db");
    assertEquals(
        "RECEIVED", Sqlite3Cli.run(db, "SELECT state FROM key_parts WHERE id='P3';").strip());
    assertTrue(
        Sqlite3Cli.run(db, "SELECT severity FROM alerts WHERE kind = 'parts.malware';")
            .contains("CRITICAL"));
    DaemonHarness.Run install = h.cli("parts", "install", "P3", "--unit", "U-0003");
    assertEquals(3, install.exit(), install.toString());
    assertTrue(install.err().contains("RECEIVED"), install.toString());

    h.stop();
    Path copy = Files.createDirectories(tmp.resolve("copy"));
    for (String f :
        new String[] {
          "burnguard.db", "burnguard.db.head", StationKey.PUBLIC_FILE, StationKey.PRIVATE_FILE
        }) {
      Files.copy(h.dataDir().resolve(f), copy.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Path cdb = copy.resolve("burnguard.db");
    DaemonHarness.Run clean = h.cli("audit", "verify", "--db", cdb.toString());
    assertEquals(0, clean.exit(), clean.toString());
    Sqlite3Cli.run(cdb, "UPDATE key_parts SET state = 'SANITIZED' WHERE id = 'P3';");
    DaemonHarness.Run v = h.cli("audit", "verify", "--db", cdb.toString());
    assertEquals(3, v.exit(), v.toString());
    assertTrue(v.err().contains("key_parts P3"), v.toString());
    assertTrue(v.err().contains("state"), v.toString());
  }

  @Test
  void aSanitizeWhoseCliIsKilledMidwayLeavesThePartNotSanitized() throws Exception {
    Path img = planted("d.img", 512L << 20);
    ok(h.cli("parts", "register", "P4", "--device", img.toString(), "--supplier", SUPPLIER));
    Process cli = h.startCliAs(null, "parts", "sanitize", "P4", "--device", img.toString());
    try (java.io.BufferedReader r =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && !line.startsWith("overwrite")) {
        // wait for the overwrite to begin
      }
      assertTrue(line != null, "the sanitize reported its overwrite");
      cli.descendants().forEach(ProcessHandle::destroyForcibly);
      cli.destroyForcibly().waitFor();
    }
    Path db = h.dataDir().resolve("burnguard.db");
    String sql = "SELECT group_concat(kind, ',') FROM key_part_events WHERE part_id = 'P4';";
    assertTrue(
        DaemonHarness.waitFor(
            java.time.Duration.ofSeconds(60),
            () -> {
              try {
                return Sqlite3Cli.run(db, sql).contains("SANITIZE_INTERRUPTED");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }),
        "events: " + Sqlite3Cli.run(db, sql));
    assertEquals(
        "REGISTERED,SANITIZE_STARTED,SANITIZE_INTERRUPTED", Sqlite3Cli.run(db, sql).strip());
    assertEquals(
        "RECEIVED", Sqlite3Cli.run(db, "SELECT state FROM key_parts WHERE id='P4';").strip());
    DaemonHarness.Run c = h.cli("parts", "certificate", "P4");
    assertEquals(3, c.exit(), c.toString());
  }

  @Test
  void theDaemonAlertsAnOverduePartOnItsOwnOnce() throws Exception {
    h.stop();
    h.writeConfig(ROLES, "nogroup", PARTS + "  inventoryCheck: 1s\n");
    h.start();
    Path img = planted("e.img", SIZE);
    ok(
        h.cli(
            "parts",
            "register",
            "P5",
            "--device",
            img.toString(),
            "--supplier",
            SUPPLIER,
            "--received",
            "2026-01-05"));
    Path db = h.dataDir().resolve("burnguard.db");
    String alerts = "SELECT count(*) FROM alerts WHERE kind = 'parts.inventory-overdue';";
    // Nobody runs an inventory: the daemon's own check finds the part overdue.
    assertTrue(
        DaemonHarness.waitFor(java.time.Duration.ofSeconds(60), () -> count(db, alerts) >= 1),
        "no overdue alert; daemon log:\n" + log());
    int passes = scheduledPasses();
    assertTrue(
        DaemonHarness.waitFor(
            java.time.Duration.ofSeconds(60), () -> scheduledPasses() >= passes + 3),
        "the check stopped running; daemon log:\n" + log());
    DaemonHarness.Run inv = h.cliAs("nobody", "parts", "inventory", "--json");
    ok(inv);
    JsonNode report = Wire.mapper().readTree(inv.out());
    assertEquals(1, report.path("overdue").asInt(), inv.out());
    assertEquals(1, count(db, alerts), "one alert for one overdue part, however many checks ran");
    assertEquals(
        "INVENTORY_OVERDUE|burnguard (scheduled inventory)",
        Sqlite3Cli.run(
                db,
                "SELECT kind || '|' || actor FROM key_part_events WHERE part_id = 'P5'"
                    + " AND kind = 'INVENTORY_OVERDUE';")
            .strip());
  }

  @Test
  void eicarInAnExfatFileIsFoundThroughTheDaemonByItsPath() throws Exception {
    Path img = images.resolve("x.img");
    try (FileChannel ch =
        FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1), SIZE * 2 - 1);
    }
    run("mkfs.exfat", img.toString());
    // This kernel has no exFAT driver: the file is written through exfat-fuse on a loop device.
    Path mnt = Files.createDirectories(tmp.resolve("mnt"));
    String loop = run("losetup", "-f", "--show", img.toString()).strip();
    try {
      run("mount.exfat-fuse", loop, mnt.toString());
      try {
        Files.createDirectories(mnt.resolve("tools"));
        Files.writeString(mnt.resolve("tools/eicar.com"), ClamdFixture.EICAR);
      } finally {
        run("umount", mnt.toString());
      }
    } finally {
      run("losetup", "-d", loop);
    }
    ok(h.cli("parts", "register", "P6", "--device", img.toString(), "--supplier", SUPPLIER));
    DaemonHarness.Run scan = h.cli("parts", "scan", "P6", "--device", img.toString());
    assertEquals(3, scan.exit(), scan.toString());
    assertTrue(scan.err().contains("(exFAT)"), scan.toString());
    assertTrue(
        scan.err().contains(ClamdFixture.EICAR_SIGNATURE + " in /tools/eicar.com"),
        scan.toString());
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  @Test
  void aReloadBringsTheNewPartsPolicy() throws Exception {
    Path img = planted("f.img", SIZE);
    String[] register = {
      "parts", "register", "P7", "--device", img.toString(), "--supplier", "New Flash Co"
    };
    DaemonHarness.Run before = h.cli(register);
    assertEquals(3, before.exit(), before.toString());
    assertTrue(before.err().contains("not in parts.suppliers"), before.toString());
    h.writeConfig(
        ROLES,
        "nogroup",
        "parts:\n  suppliers: [" + SUPPLIER + ", New Flash Co]\n  inventoryInterval: 1h\n");
    DaemonHarness.Run reload = h.cli("config", "reload");
    ok(reload);
    assertTrue(reload.out().contains("parts changed"), reload.toString());
    ok(h.cli(register));
  }

  private int scheduledPasses() {
    return (int) log().lines().filter(l -> l.contains("scheduled parts inventory:")).count();
  }

  private String log() {
    try {
      Path f = h.dataDir().resolve("log/agent.log");
      return Files.exists(f) ? Files.readString(f) : "(no agent.log)";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int count(Path db, String sql) {
    try {
      return Integer.parseInt(Sqlite3Cli.run(db, sql).strip());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void ok(DaemonHarness.Run r) {
    assertEquals(0, r.exit(), r.toString());
  }

  private Path planted(String name, long size) throws IOException {
    Path file = images.resolve(name);
    byte[] junk = new byte[1 << 20];
    new Random(15).nextBytes(junk);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long pos = 0; pos < size; pos += junk.length) {
        ch.write(ByteBuffer.wrap(junk, 0, (int) Math.min(junk.length, size - pos)), pos);
      }
      for (long at : new long[] {0, size / 2, (size - 1) / 512 * 512}) {
        ch.write(ByteBuffer.wrap(MARKER), at);
      }
    }
    assertTrue(contains(file, MARKER), "marker planted");
    return file;
  }

  private static boolean contains(Path file, byte[] needle) throws IOException {
    byte[] all = Files.readAllBytes(file);
    outer:
    for (int i = 0; i + needle.length <= all.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (all[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
