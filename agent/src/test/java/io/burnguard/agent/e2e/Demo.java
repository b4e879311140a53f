package io.burnguard.agent.e2e;

import io.burnguard.agent.daemon.DaemonHarness;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.testing.ReleaseKit;
import io.burnguard.drivers.testing.QemuUBootBoard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The Quick-start demo (README, command 1): a whole station in a temporary directory, driven
 * through the real {@code burnguard} CLI. Run by {@code installer/dev/demo.sh}.
 *
 * <p>People: the engineer is root; the operator is {@code nobody} (group nogroup); QA is {@code
 * bin} and security is {@code daemon}, both given group nogroup for this process only so they can
 * reach the socket (their roles come from their own groups). Nothing is added to the system's users
 * or groups, and everything started is stopped.
 */
public final class Demo {
  private static final String ROLES =
      "  root: engineer\n  nogroup: operator\n  bin: qa\n  daemon: security\n";

  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path tmp = Files.createTempDirectory("burnguard-demo");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    int status = 1;
    try {
      status = run(tmp);
    } finally {
      deleteTree(tmp);
    }
    System.exit(status);
  }

  private static int run(Path tmp) throws Exception {
    step("1. A release PKI (root, signing CA, two signers) and a local HTTPS designated server");
    try (ReleaseKit kit = new ReleaseKit(tmp.resolve("release-team"))) {
      say("designated server: " + kit.url() + "   (TLS certificate from its own CA)");
      say("release root: " + kit.dir().resolve("release-root.pem"));
      say(
          "signers: "
              + String.join(", ", ReleaseKit.SIGNERS)
              + " ("
              + kit.signerP12(0).getFileName()
              + ", "
              + kit.signerP12(1).getFileName()
              + ")");

      step("2. A private clamd with a signature database made now (EICAR included)");
      try (ClamdFixture clamd = ClamdFixture.builder().start()) {
        say("clamd pid " + clamd.pid() + " on " + clamd.unixAddress());

        step("3. A QEMU board running real U-Boot, on fixture fx1 (console on a pty, TFTP)");
        try (QemuUBootBoard board =
            QemuUBootBoard.start(tmp, QemuUBootBoard.Options.tftp(8 << 20))) {
          board.powerOn();
          say("board console " + board.serialPath() + ", flash " + board.flashFile());
          Files.createDirectories(tmp.resolve("station"));
          DaemonHarness h =
              new DaemonHarness(
                  tmp.resolve("station"), clamd.unixAddress().toString(), ROLES, "nogroup", "");
          h.serverAndTrust(kit.stationYaml(2));
          h.writeConfig(ROLES, "nogroup", stationFixtures(board));
          try (h) {
            return scenario(tmp, kit, clamd, board, h);
          }
        }
      }
    }
  }

  private static String stationFixtures(QemuUBootBoard board) {
    return "fixtures:\n" + E2EStation.fixture("fx1", board) + E2EStation.models();
  }

  private static int scenario(
      Path tmp, ReleaseKit kit, ClamdFixture clamd, QemuUBootBoard board, DaemonHarness h)
      throws Exception {
    step("4. The release team signs ipc-x1-main 5.4.1 with both signers");
    Path rel = kit.www().resolve("releases/ipc-x1-main/5.4.1");
    Files.createDirectories(rel);
    Path image = rel.resolve("ipc-x1-main-5.4.1.bin");
    Files.write(image, random(4 << 20, 541));
    String pass = "pass:" + ReleaseKit.P12_PASSWORD;
    show(
        h,
        null,
        "release",
        "sign",
        "--image",
        image.toString(),
        "--name",
        "ipc-x1-main",
        "--version",
        "5.4.1",
        "--model",
        "IPC-X1",
        "--key",
        kit.signerP12(0).toString(),
        "--key",
        kit.signerP12(1).toString(),
        "--key-pass",
        pass,
        "--out",
        rel.toString());
    show(
        h,
        null,
        "firmware",
        "verify",
        "--manifest",
        rel.resolve("manifest.json").toString(),
        "--image",
        image.toString(),
        "--trust",
        kit.dir().resolve("release-root.pem").toString(),
        "--crl",
        kit.dir().resolve("crl/root.crl").toString(),
        "--crl",
        kit.dir().resolve("crl/signing.crl").toString(),
        "--threshold",
        "2",
        "--model",
        "IPC-X1");

    step("5. The station's daemon starts on its station.yaml");
    say("$ burnguard agent run --config " + h.config());
    h.start();
    show(h, null, "doctor");

    step(
        "6. The engineer fetches the release (verify + scan while downloading) and opens an order");
    show(h, null, "firmware", "fetch", "ipc-x1-main", "5.4.1");
    show(
        h,
        null,
        "order",
        "open",
        "WO-2026-001",
        "--model",
        "IPC-X1",
        "--firmware",
        "ipc-x1-main",
        "--version",
        "5.4.1",
        "--quantity",
        "3");

    step("7. The operator burns three units");
    String[] units = {E2EStation.barcode(101), E2EStation.barcode(102), E2EStation.barcode(103)};
    for (String u : units) {
      show(h, "nobody", "burn", "--fixture", "fx1", "--barcode", u);
    }

    step("8. Refused: a tampered release and an infected one");
    kit.publish("ipc-x1-main", "5.4.2", List.of("IPC-X1"), random(1 << 20, 542));
    kit.tamper("ipc-x1-main", "5.4.2");
    say("(5.4.2 is signed, then its image is altered on the server)");
    show(h, null, "firmware", "fetch", "ipc-x1-main", "5.4.2");
    byte[] infected = random(1 << 20, 543);
    byte[] eicar = ClamdFixture.EICAR.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(eicar, 0, infected, 333_333, eicar.length);
    kit.publish("ipc-x1-main", "5.4.3", List.of("IPC-X1"), infected);
    say("(5.4.3 is properly signed but carries the EICAR test virus inside the image)");
    show(h, null, "firmware", "fetch", "ipc-x1-main", "5.4.3");
    show(h, null, "order", "close", "WO-2026-001");
    show(
        h,
        null,
        "order",
        "open",
        "WO-2026-002",
        "--model",
        "IPC-X1",
        "--firmware",
        "ipc-x1-main",
        "--version",
        "5.4.3",
        "--quantity",
        "1");
    show(h, "nobody", "burn", "--fixture", "fx1", "--barcode", E2EStation.barcode(104));

    step("9. QA: a unit's trace, and every unit that got the release (recall)");
    show(h, "bin", "trace", units[1]);
    show(h, "bin", "units", "--firmware", "ipc-x1-main", "--version", "5.4.1");

    step("10. Security: alerts and the audit chain");
    show(h, "daemon", "alerts");
    DaemonHarness.Run audit = show(h, "daemon", "audit", "verify");

    step("Stopping the daemon, clamd and the board; removing " + tmp);
    h.stop();
    return audit.exit() == 0 ? 0 : 1;
  }

  private static DaemonHarness.Run show(DaemonHarness h, String user, String... args)
      throws IOException, InterruptedException {
    String who = user == null ? "engineer (root)" : roleOf(user) + " (" + user + ")";
    System.out.println();
    System.out.println("[" + who + "] $ burnguard " + String.join(" ", args));
    DaemonHarness.Run r =
        user == null
            ? h.cli(args)
            : h.cliAsWithGroup(user, user.equals("nobody") ? null : "nogroup", args);
    System.out.print(r.err());
    System.out.print(r.out());
    System.out.println("(exit " + r.exit() + ")");
    System.out.flush();
    return r;
  }

  private static String roleOf(String user) {
    switch (user) {
      case "nobody":
        return "operator";
      case "bin":
        return "qa";
      default:
        return "security";
    }
  }

  private static void step(String s) {
    System.out.println();
    System.out.println("\033[1m== " + s + "\033[0m");
  }

  private static void say(String s) {
    System.out.println("   " + s);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
