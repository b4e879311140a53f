package io.burnguard.agent.vetting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.cli.FirmwareVerifyCommand;
import io.burnguard.agent.cli.ReleaseSignCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code release sign} then {@code firmware verify}, standalone, with their exit codes. */
class FirmwareCommandsTest {
  static TestPki pki;
  @TempDir static Path dir;
  static Path release;

  record Run(int exit, String out, String err) {}

  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeAll
  static void signRelease() throws Exception {
    pki = new TestPki();
    Files.write(dir.resolve("ipc-x1-main.bin"), ReleaseVerifierTest.image);
    pki.writeP12(pki.alice, dir.resolve("alice.p12"), "a-secret".toCharArray());
    pki.writeP12(pki.bob, dir.resolve("bob.p12"), "b-secret".toCharArray());
    TestPki.writePem(dir.resolve("root.pem"), pki.root.cert());
    TestPki.writePem(dir.resolve("root.crl"), pki.rootCrl);
    TestPki.writePem(dir.resolve("ca1.crl"), pki.intermediateCrl);
    Files.writeString(dir.resolve("bob.pass"), "b-secret\n");
    release = dir.resolve("out");
    Run r =
        run(
            new ReleaseSignCommand(TestPki.CLOCK),
            "--image",
            dir.resolve("ipc-x1-main.bin").toString(),
            "--name",
            "ipc-x1-main",
            "--version",
            "5.4.1",
            "--model",
            "IPC-X1",
            "--model",
            "IPC-X1P",
            "--key",
            dir.resolve("alice.p12").toString(),
            "--key",
            dir.resolve("bob.p12").toString(),
            "--key-pass",
            "pass:a-secret",
            "--key-pass",
            "file:" + dir.resolve("bob.pass"),
            "--out",
            release.toString());
    assertEquals(0, r.exit(), r.err());
  }

  static List<String> verifyArgs(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--manifest", release.resolve("manifest.json").toString(),
                "--image", dir.resolve("ipc-x1-main.bin").toString(),
                "--trust", dir.resolve("root.pem").toString()));
    a.addAll(List.of(extra));
    return a;
  }

  static Run verify(List<String> args) {
    return run(new FirmwareVerifyCommand(TestPki.CLOCK), args.toArray(new String[0]));
  }

  @Test
  void signedReleaseVerifiesWithThresholdTwoAndModel() throws Exception {
    Run r =
        verify(
            verifyArgs(
                "--crl",
                dir.resolve("root.crl").toString(),
                "--crl",
                dir.resolve("ca1.crl").toString(),
                "--threshold",
                "2",
                "--model",
                "IPC-X1P",
                "--json"));
    assertEquals(0, r.exit(), r.err() + r.out());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals("accepted", n.get("result").asText());
    assertEquals(2, n.get("signers").size());
  }

  @Test
  void withoutCrlItRefusesUnlessNoCrl() throws Exception {
    Run refused = verify(verifyArgs("--json"));
    assertEquals(3, refused.exit());
    assertEquals("CRL_MISSING", new ObjectMapper().readTree(refused.out()).get("reason").asText());
    Run ok = verify(verifyArgs("--no-crl"));
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("revocation (--no-crl)"), ok.out());
  }

  @Test
  void contradictoryOptionsAreAUsageError() {
    Run r = verify(verifyArgs("--no-crl", "--crl", dir.resolve("root.crl").toString()));
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("contradict"), r.err());
  }

  @Test
  void missingFileIsAUsageError() {
    List<String> a = verifyArgs("--no-crl");
    a.set(3, dir.resolve("nope.bin").toString());
    Run r = verify(a);
    assertEquals(2, r.exit(), r.err());
  }

  @Test
  void thresholdAboveSignersAndWrongModelAreRefused() throws Exception {
    Run r = verify(verifyArgs("--no-crl", "--threshold", "3", "--json"));
    assertEquals(3, r.exit());
    assertEquals("THRESHOLD_NOT_MET", new ObjectMapper().readTree(r.out()).get("reason").asText());
    Run m = verify(verifyArgs("--no-crl", "--model", "DVR-2"));
    assertEquals(3, m.exit());
    assertTrue(m.err().startsWith("REFUSED MODEL_NOT_LISTED"), m.err());
  }

  @Test
  void tamperedImageIsRefused() throws Exception {
    Path evil = dir.resolve("evil.bin");
    byte[] b = ReleaseVerifierTest.image.clone();
    b[0] ^= 0x7f;
    Files.write(evil, b);
    List<String> a = verifyArgs("--no-crl", "--json");
    a.set(3, evil.toString());
    Run r = verify(a);
    assertEquals(3, r.exit());
    assertEquals(
        "IMAGE_DIGEST_MISMATCH", new ObjectMapper().readTree(r.out()).get("reason").asText());
  }

  @Test
  void wrongKeyPasswordIsAUsageError() {
    Run r =
        run(
            new ReleaseSignCommand(TestPki.CLOCK),
            "--image",
            dir.resolve("ipc-x1-main.bin").toString(),
            "--name",
            "x",
            "--version",
            "1.0",
            "--model",
            "IPC-X1",
            "--key",
            dir.resolve("alice.p12").toString(),
            "--key-pass",
            "pass:wrong",
            "--out",
            dir.resolve("out2").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("alice.p12"), r.err());
  }
}
