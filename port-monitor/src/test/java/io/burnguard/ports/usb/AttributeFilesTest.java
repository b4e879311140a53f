package io.burnguard.ports.usb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile file types in a sysfs tree: nothing is followed, nothing blocks, sizes are bounded. */
class AttributeFilesTest {
  @TempDir Path tmp;

  @Test
  void oNoFollowIsTheValueOfTheMachinesArchitectureAndAnUnknownOneIsRefused() {
    assertEquals(0400000, AttributeFiles.noFollow("amd64"));
    assertEquals(0100000, AttributeFiles.noFollow("aarch64"));
    UnsupportedOperationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            UnsupportedOperationException.class, () -> AttributeFiles.noFollow("mips"));
    assertTrue(e.getMessage().contains("mips architecture"), e.getMessage());
  }

  @Test
  void aRegularFileIsReadWhole() throws Exception {
    Path f = Files.writeString(tmp.resolve("idVendor"), "0781\n");
    assertEquals("0781\n", text(AttributeFiles.read(f, 4096)));
  }

  @Test
  void anAbsentFileIsEmptyNotAnError() throws Exception {
    assertTrue(AttributeFiles.read(tmp.resolve("serial"), 4096).isEmpty());
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertTrue(AttributeFiles.read(file.resolve("below-a-file"), 4096).isEmpty(), "ENOTDIR");
  }

  @Test
  void aSymlinkIsNotFollowed() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret"), "do not read\n");
    Path link = Files.createSymbolicLink(tmp.resolve("product"), secret);
    assertTrue(AttributeFiles.read(link, 4096).isEmpty());
  }

  @Test
  void aFifoNeitherBlocksNorIsRead() throws Exception {
    Path fifo = tmp.resolve("serial");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Optional<byte[]> r =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> AttributeFiles.read(fifo, 4096));
    assertTrue(r.isEmpty(), "a FIFO is not an attribute");
  }

  @Test
  void aDirectoryIsNotAnAttribute() throws Exception {
    assertTrue(AttributeFiles.read(Files.createDirectory(tmp.resolve("d")), 4096).isEmpty());
  }

  @Test
  void moreThanTheLimitIsRefusedWithTheLimitNamed() throws Exception {
    Path f = Files.write(tmp.resolve("product"), new byte[4097]);
    IOException e = assertThrows(IOException.class, () -> AttributeFiles.read(f, 4096));
    assertTrue(e.getMessage().contains("longer than 4096 bytes"), e.getMessage());
    assertEquals(4096, AttributeFiles.read(Files.write(f, new byte[4096]), 4096).get().length);
  }

  @Test
  void attributesLongerThanAPageAreReadWhole() throws Exception {
    byte[] data = new byte[3 * 4096 + 17];
    new Random(7).nextBytes(data);
    Path f = Files.write(tmp.resolve("descriptors"), data);
    assertArrayEquals(data, AttributeFiles.read(f, 1 << 20).get());
    IOException e = assertThrows(IOException.class, () -> AttributeFiles.read(f, 8192));
    assertTrue(e.getMessage().contains("longer than 8192"), e.getMessage());
  }

  @Test
  void writesOverwriteWithoutTruncatingAsSysfsTakesThem() throws Exception {
    Path f = Files.writeString(tmp.resolve("authorized"), "1\n");
    AttributeFiles.write(f, "0".getBytes(StandardCharsets.US_ASCII));
    assertEquals("0\n", Files.readString(f));
  }

  @Test
  void writesNeitherCreateNorFollowNorBlock() throws Exception {
    IOException absent =
        assertThrows(
            IOException.class, () -> AttributeFiles.write(tmp.resolve("remove"), new byte[] {'1'}));
    assertTrue(absent.getMessage().contains("no such file"), absent.getMessage());
    assertTrue(Files.notExists(tmp.resolve("remove")));

    Path target = Files.writeString(tmp.resolve("target"), "keep");
    Path link = Files.createSymbolicLink(tmp.resolve("authorized"), target);
    IOException linked =
        assertThrows(IOException.class, () -> AttributeFiles.write(link, new byte[] {'1'}));
    assertTrue(linked.getMessage().contains("symlink"), linked.getMessage());
    assertEquals("keep", Files.readString(target));

    Path fifo = tmp.resolve("authorized_default");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    IOException noReader =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                assertThrows(
                    IOException.class, () -> AttributeFiles.write(fifo, new byte[] {'0'})));
    assertTrue(noReader.getMessage().contains("FIFO"), noReader.getMessage());
  }

  private static String text(Optional<byte[]> data) {
    return new String(data.orElseThrow(), StandardCharsets.ISO_8859_1);
  }
}
