package io.burnguard.ports.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsbPolicyLoadTest {
  @TempDir Path tmp;

  Path rules(String perms) throws IOException {
    Path f = tmp.resolve("rules.conf");
    Files.writeString(f, "allow id 1d6b:*\n# comment\n\nblock\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void loadsAPrivateFile() throws Exception {
    UsbPolicy p = UsbPolicy.load(rules("rw-r--r--"));
    assertEquals(2, p.size());
    assertEquals(tmp.resolve("rules.conf").toString(), p.source());
  }

  @Test
  void refusesAFileOthersCanWrite() throws Exception {
    Path f = rules("rw-rw-rw-");
    IOException e = assertThrows(IOException.class, () -> UsbPolicy.load(f));
    assertTrue(e.getMessage().contains("chmod go-w"), e.getMessage());
  }

  @Test
  void refusesASymlink() throws Exception {
    Path f = rules("rw-r--r--");
    Path link = Files.createSymbolicLink(tmp.resolve("link.conf"), f);
    IOException e = assertThrows(IOException.class, () -> UsbPolicy.load(link));
    assertTrue(e.getMessage().contains("symlink"), e.getMessage());
  }

  @Test
  void aBadFileNamesItsLines() throws Exception {
    Path f = tmp.resolve("bad.conf");
    Files.writeString(f, "allow id 1234:5678\n  block\nallow name \"x\\q\"\n");
    PolicyException e = assertThrows(PolicyException.class, () -> UsbPolicy.load(f));
    assertEquals(2, e.problems().size());
    assertEquals(f + ":2:1", e.problems().get(0).toString().split(": ")[0]);
    assertEquals(f + ":3:15", e.problems().get(1).toString().split(": ")[0]);
  }
}
