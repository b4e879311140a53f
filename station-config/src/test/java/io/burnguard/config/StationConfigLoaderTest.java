package io.burnguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StationConfigLoaderTest {
  /** The documented example, relative to the module (surefire runs in the module dir). */
  static final Path EXAMPLE = Path.of("examples/station.yaml");

  @TempDir Path tmp;

  @Test
  void documentedExampleLoads() throws Exception {
    StationConfig c = StationConfigLoader.load(EXAMPLE);
    assertEquals("line3-station07", c.station().id());
    assertEquals(Path.of("/var/lib/burnguard"), c.station().dataDir());
    assertEquals(Role.OPERATOR, c.roles().get("burnguard-op"));
    assertEquals(2, c.trust().threshold());
    assertEquals(Duration.ofDays(3), c.scanner().maxDatabaseAge());
    assertEquals("fx1", c.fixtures().get(0).id());
    assertEquals(StationConfig.CheckDigit.GS1_MOD10, c.models().get("IPC-X1").checkDigit());
    assertEquals(2, c.models().get("IPC-X1").recipe().write().size());
    assertEquals("0x0", c.models().get("IPC-X1").recipe().variables().get("flash_block"));
    assertEquals(StationConfig.PortMode.MONITOR, c.ports().mode());
  }

  @Test
  void defaultsApplyWhenOptionalKeysAreLeftOut() throws Exception {
    StationConfig c = StationConfigLoader.parse("s.yaml", minimal(""));
    assertEquals(Path.of("/run/burnguard/control.sock"), c.station().socket());
    assertEquals(Duration.ofSeconds(2), c.scanner().connectTimeout());
    assertEquals(30, c.retention().firmwareDays());
    assertTrue(c.fixtures().isEmpty());
  }

  @Test
  void unknownKeyNamesLineAndSuggestsTheRightOne() {
    ConfigProblem p = single(minimal("").replace("  dataDir:", "  dataDri:"));
    assertEquals("station.dataDri", p.path());
    assertEquals(3, p.line());
    assertTrue(p.message().contains("unknown key \"dataDri\""), p.message());
    assertTrue(p.fix().contains("did you mean \"dataDir\""), p.fix());
  }

  @Test
  void unknownTopLevelSectionIsRefused() {
    ConfigProblem p = single(minimal("colour: blue\n"));
    assertEquals("colour", p.path());
    assertTrue(p.fix().contains("keys allowed here: station, roles"), p.fix());
  }

  @Test
  void wrongTypeSaysWhatWasExpected() {
    ConfigProblem p = single(minimal("").replace("threshold: 1", "threshold: two"));
    assertEquals("trust.threshold", p.path());
    assertTrue(p.message().contains("expected a whole number, found \"two\""), p.message());
  }

  @Test
  void unquotedYesForTextAsksToQuote() {
    ConfigProblem p = single(minimal("").replace("id: st1", "id: yes"));
    assertEquals("station.id", p.path());
    assertTrue(p.fix().contains("quote it"), p.fix());
  }

  @Test
  void missingRequiredFieldNamesTheSectionAndAnExample() {
    ConfigProblem p = single(minimal("").replace("  dataDir: /var/lib/bg\n", ""));
    assertEquals("station.dataDir", p.path());
    assertEquals(2, p.line());
    assertTrue(p.message().contains("required key \"dataDir\" is missing"), p.message());
    assertTrue(p.fix().contains("dataDir: /var/lib/burnguard"), p.fix());
  }

  @Test
  void missingSectionIsReported() {
    String text = minimal("");
    text = text.substring(0, text.indexOf("scanner:"));
    ConfigProblem p = single(text);
    assertEquals("scanner", p.path());
  }

  @Test
  void badDurationGivesTheAcceptedForms() {
    ConfigProblem p = single(minimal("").replace("maxDatabaseAge: 3d", "maxDatabaseAge: 3 days"));
    assertEquals("scanner.maxDatabaseAge", p.path());
    assertTrue(p.message().contains("\"3 days\" is not a duration"), p.message());
    assertTrue(p.fix().contains("30s, 5m, 2h or 7d"), p.fix());
  }

  @Test
  void durationOutOfRangeIsRefused() {
    ConfigProblem p = single(minimal("").replace("maxDatabaseAge: 3d", "maxDatabaseAge: 5s"));
    assertTrue(p.fix().contains("at least 60 seconds"), p.fix());
  }

  @Test
  void relativePathIsRefused() {
    ConfigProblem p = single(minimal("").replace("dataDir: /var/lib/bg", "dataDir: data"));
    assertEquals("station.dataDir", p.path());
    assertTrue(p.message().contains("relative path"), p.message());
  }

  @Test
  void duplicateFixtureIdsNameBothLines() {
    String text =
        minimal(
            "fixtures:\n"
                + "  - {id: fx1, driver: uboot-tftp, port: /dev/ttyS0, model: M}\n"
                + "  - {id: fx1, driver: uboot-tftp, port: /dev/ttyS1, model: M}\n"
                + "models:\n  M: {}\n");
    ConfigProblem p = single(text);
    assertEquals("fixtures[1].id", p.path());
    assertTrue(p.message().contains("first used at line"), p.message());
  }

  @Test
  void fixtureWithUndefinedModelIsRefused() {
    ConfigProblem p =
        single(
            minimal(
                "fixtures:\n  - {id: fx1, driver: d, port: /dev/ttyS0, model: IPC-X2}\n"
                    + "models:\n  IPC-X1: {}\n"));
    assertEquals("fixtures[0].model", p.path());
    assertTrue(p.fix().contains("did you mean \"IPC-X1\""), p.fix());
  }

  @Test
  void badEnumValueSuggests() {
    ConfigProblem p = single(minimal("ports:\n  mode: enforced\n"));
    assertEquals("ports.mode", p.path());
    assertTrue(p.fix().contains("did you mean \"enforce\""), p.fix());
  }

  @Test
  void unknownRoleIsRefused() {
    ConfigProblem p = single(minimal("").replace("ops: operator", "ops: admin"));
    assertEquals("roles.ops", p.path());
  }

  @Test
  void plainHttpServerIsRefused() {
    ConfigProblem p = single(minimal("").replace("https://fw.example/bg", "http://fw.example/bg"));
    assertTrue(p.message().contains("https"), p.message());
  }

  @Test
  void thresholdAboveSignerCountIsRefused() {
    ConfigProblem p = single(minimal("").replace("threshold: 1", "threshold: 3"));
    assertTrue(p.message().contains("only 1 signer"), p.message());
  }

  @Test
  void serverTrustNeedsCaFileOrPinOrBoth() throws Exception {
    String both =
        minimal("")
            .replace(
                "  caFile: /etc/bg/ca.pem\n",
                "  caFile: /etc/bg/ca.pem\n  spkiPin: " + "ab".repeat(32) + "\n");
    StationConfig.DesignatedServer s = StationConfigLoader.parse("s.yaml", both).server();
    assertEquals("ab".repeat(32), s.spkiPin());
    assertEquals(java.nio.file.Path.of("/etc/bg/ca.pem"), s.caFile());
    ConfigProblem neither = single(minimal("").replace("  caFile: /etc/bg/ca.pem\n", ""));
    assertTrue(neither.message().contains("found neither"), neither.message());
  }

  @Test
  void recipeWithoutReadBackIsRefused() {
    ConfigProblem p =
        single(minimal("models:\n  M:\n    recipe:\n      write: [\"x\"]\n      readBack: []\n"));
    assertEquals("models.M.recipe", p.path());
    assertTrue(p.message().contains("never passes without"), p.message());
  }

  @Test
  void badRegexIsRefused() {
    ConfigProblem p = single(minimal("models:\n  M:\n    barcodeRule: \"[0-9\"\n"));
    assertEquals("models.M.barcodeRule", p.path());
  }

  @Test
  void badClamdAddressIsRefused() {
    ConfigProblem p = single(minimal("").replace("unix:/run/clamav/clamd.ctl", "localhost:3310"));
    assertEquals("scanner.clamd", p.path());
  }

  @Test
  void severalMistakesAreReportedTogetherInLineOrder() {
    String text =
        minimal("colour: blue\n")
            .replace("dataDir: /var/lib/bg", "dataDir: data")
            .replace("threshold: 1", "threshold: x")
            .replace("maxDatabaseAge: 3d", "maxDatabaseAge: soon");
    ConfigException e =
        assertThrows(ConfigException.class, () -> StationConfigLoader.parse("s.yaml", text));
    List<ConfigProblem> ps = e.problems();
    assertEquals(4, ps.size(), e.getMessage());
    for (int i = 1; i < ps.size(); i++) {
      assertTrue(ps.get(i - 1).line() <= ps.get(i).line());
    }
    assertTrue(e.getMessage().startsWith("4 problems"), e.getMessage());
  }

  @Test
  void invalidYamlNamesTheLine() {
    ConfigProblem p = single("station:\n  id: [unclosed\n");
    assertTrue(p.message().startsWith("not valid YAML"), p.message());
    assertTrue(p.line() >= 2, "line " + p.line());
  }

  @Test
  void duplicateKeysAreRefused() {
    ConfigProblem p = single(minimal("").replace("  id: st1\n", "  id: st1\n  id: st2\n"));
    assertTrue(p.message().contains("appears twice"), p.message());
  }

  @Test
  void missingFileIsReported() {
    List<ConfigProblem> ps = StationConfigLoader.check(tmp.resolve("nope.yaml"));
    assertEquals(1, ps.size());
    assertTrue(ps.get(0).message().contains("does not exist"));
    assertTrue(ps.get(0).file().endsWith("nope.yaml"));
  }

  @Test
  void unreadableFileIsReported() throws IOException {
    Path f = tmp.resolve("s.yaml");
    Files.writeString(f, minimal(""));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
    // root reads anything; only assert when the mode actually denies us
    if (!Files.isReadable(f)) {
      List<ConfigProblem> ps = StationConfigLoader.check(f);
      assertTrue(ps.get(0).message().contains("permission denied"));
    }
    Path bin = tmp.resolve("bin.yaml");
    Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
    assertTrue(StationConfigLoader.check(bin).get(0).message().contains("not UTF-8"));
  }

  @Test
  void oversizedFileIsRefusedBeforeParsing() throws IOException {
    Path f = tmp.resolve("big.yaml");
    Files.write(f, ("# " + "x".repeat(1000) + "\n").repeat(1100).getBytes(StandardCharsets.UTF_8));
    assertTrue(StationConfigLoader.check(f).get(0).message().contains("larger than"));
  }

  @Test
  void problemPrintsAsFileLinePathMessageAndFix() {
    ConfigProblem p = new ConfigProblem("s.yaml", 7, 3, "a.b", "bad", "do this");
    assertEquals("s.yaml:7: a.b: bad" + System.lineSeparator() + "    fix: do this", p.toString());
  }

  private static ConfigProblem single(String text) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> StationConfigLoader.parse("s.yaml", text));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("s.yaml", e.problems().get(0).file());
    return e.problems().get(0);
  }

  /** A minimal valid config, with {@code extra} appended. */
  static String minimal(String extra) {
    return "station:\n"
        + "  id: st1\n"
        + "  dataDir: /var/lib/bg\n"
        + "roles:\n"
        + "  ops: operator\n"
        + "server:\n"
        + "  url: https://fw.example/bg\n"
        + "  caFile: /etc/bg/ca.pem\n"
        + "trust:\n"
        + "  releaseRoot: /etc/bg/root.pem\n"
        + "  crlDir: /var/lib/bg/crl\n"
        + "  threshold: 1\n"
        + "  signers: [\"Signer A\"]\n"
        + "scanner:\n"
        + "  clamd: unix:/run/clamav/clamd.ctl\n"
        + "  maxDatabaseAge: 3d\n"
        + extra;
  }
}
