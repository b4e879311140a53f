package io.burnguard.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.burnguard.ports.testing.Tools;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same rules file given to the real {@code usbguard-daemon} and to our monitor, each in a fresh
 * umockdev testbed of the station recording: every device must end up with the same {@code
 * authorized} value. The device with bad descriptors is left out: USBGuard leaves a present device
 * it cannot read as it is, BurnGuard blocks it (docs/decisions.md).
 */
class UsbguardDaemonAgreementIT {
  static final List<String> PORTS = List.of("usb1", "1-1", "1-2", "1-1.1", "1-1.2", "1-1.3");
  static final String HUBS = "allow id 1d6b:0002~allow id 05e3:0608~";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        HUBS + "block with-interface one-of { 08:*:* }~allow with-interface 03:01:02",
        HUBS
            + "allow with-interface all-of { 03:01:01 }~allow serial \"\" via-port one-of { \"1-1.3\" }",
        "allow id *:*~block id 0781:*",
        "allow with-interface match-all { 09:*:* 03:*:* }~allow hash \"GCDpP+y585H6w3MtWV7BjINiQgl4sjQZZ7XwVnrQB5A=\"",
        "allow parent-hash \"TWPxFO4AFae0++NKqfoiZvdAdqs4ixW7ch9eCyVGmD4=\" name \"USB Optical Mouse\"",
        "allow if false~allow id 1d6b:0002 if !false~allow with-connect-type \"hotplug\"",
        "allow id none-of { 0781:5567 1234:5678 }",
        "allow with-interface equals-ordered { 08:06:50 03:01:01 }~allow with-interface equals { 08:06:50 03:01:01 }",
        "allow id one-of { 046d:* 1d6b:0002 } if one-of { false true }",
        "allow name \"Keyboard \\\"Pro\\\" with storage\"~allow name \"xHCI Host \\x43ontroller\"",
        "allow serial \"KB-0001\" if allowed-matches(id 1d6b:0002)~allow id 1d6b:0002",
        "block id 046d:c077 via-port \"1-1.2\"~allow id 046d:c077~reject id 0781:5567",
      })
  void sameAuthorizationAsUsbguardDaemon(String rulesWithTildes) throws Exception {
    String rules = rulesWithTildes.replace('~', '\n') + "\n";
    Map<String, String> theirs = usbguard(rules);
    Map<String, String> ours = ours(rules);
    assertEquals(theirs, ours, rules);
  }

  Path recording() throws Exception {
    Path rec = dir.resolve("station.umockdev");
    if (!Files.exists(rec)) {
      try (InputStream in = getClass().getResourceAsStream("/umockdev/station.umockdev")) {
        Files.copy(in, rec);
      }
    }
    return rec;
  }

  Map<String, String> usbguard(String rules) throws Exception {
    String umockdev = Tools.require("umockdev-run", "umockdev");
    String daemon = Tools.require("usbguard-daemon", "usbguard");
    Path rulesFile = privateFile("daemon.rules", rules);
    Path audit = dir.resolve("audit.log");
    Path conf =
        privateFile(
            "daemon.conf",
            String.join(
                "\n",
                "RuleFile=" + rulesFile,
                "ImplicitPolicyTarget=block",
                "PresentDevicePolicy=apply-policy",
                "PresentControllerPolicy=apply-policy",
                "InsertedDevicePolicy=apply-policy",
                "AuthorizedDefault=none",
                "RestoreControllerDeviceState=false",
                "DeviceManagerBackend=uevent",
                "IPCAllowedUsers=root",
                "AuditBackend=FileAudit",
                "AuditFilePath=" + audit,
                ""));
    // Wait (bounded) until the daemon has decided the six readable devices, then stop it and
    // print each device's authorized value as the testbed now holds it.
    String script =
        String.join(
            "\n",
            "\"$0\" -s -k -c \"$1\" >/dev/null 2>&1 & pid=$!",
            "i=0; while [ $i -lt 200 ]; do",
            "  n=$(grep -c \"Policy.Device.Update\" \"$2\" 2>/dev/null || true)",
            "  [ \"${n:-0}\" -ge 6 ] && break; i=$((i+1)); sleep 0.05; done",
            "kill $pid 2>/dev/null; i=0; while kill -0 $pid 2>/dev/null && [ $i -lt 60 ]; do",
            "  i=$((i+1)); sleep 0.05; done",
            "kill -9 $pid 2>/dev/null; wait $pid",
            "for d in /sys/bus/usb/devices/*; do echo \"authorized $(basename $d) $(cat $d/authorized)\"; done");
    Tools.Run run =
        Tools.run(
            dir,
            List.of(
                umockdev,
                "-d",
                recording().toString(),
                "--",
                "sh",
                "-c",
                script,
                daemon,
                conf.toString(),
                audit.toString()));
    assertEquals(0, run.exit(), run.stderr());
    Files.deleteIfExists(audit);
    return authorized(run.stdout());
  }

  Map<String, String> ours(String rules) throws Exception {
    String umockdev = Tools.require("umockdev-run", "umockdev");
    Path rulesFile = privateFile("ours.rules", rules);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Tools.Run run =
        Tools.run(
            dir,
            List.of(
                umockdev,
                "-d",
                recording().toString(),
                "--",
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.burnguard.ports.testing.UmockdevProbe",
                "enforce",
                rulesFile.toString()));
    assertEquals(0, run.exit(), run.stdout() + run.stderr());
    return authorized(run.stdout());
  }

  private Path privateFile(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.ISO_8859_1);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private static Map<String, String> authorized(String out) {
    Map<String, String> m = new TreeMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[0].equals("authorized") && PORTS.contains(f[1])) {
        m.put(f[1], f[2]);
      }
    }
    assertEquals(PORTS.size(), m.size(), out);
    return m;
  }
}
