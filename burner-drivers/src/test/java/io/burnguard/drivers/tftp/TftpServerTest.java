package io.burnguard.drivers.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our server against a minimal in-test client on loopback (free port, not 69). */
class TftpServerTest {
  private static final InetAddress LO = InetAddress.getLoopbackAddress();
  private final byte[] image = new byte[100_000];
  private TftpServer server;
  private DatagramSocket client;

  @BeforeEach
  void start() throws Exception {
    new Random(1).nextBytes(image);
    server =
        TftpServer.start(
            new TftpServer.Config(
                new InetSocketAddress(LO, 0), LO, "fw.bin", 1468, 8, Duration.ofMillis(100), 5),
            () -> new ByteArrayInputStream(image),
            image.length,
            UdpChannelFactory.system(),
            (d, t) -> {});
    client = new DatagramSocket(new InetSocketAddress(LO, 0));
    client.setSoTimeout(2000);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private void rrq(String file, String mode, String... opts) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0);
    b.write(1);
    for (String s : concat(file, mode, opts)) {
      b.write(s.getBytes(StandardCharsets.US_ASCII));
      b.write(0);
    }
    client.send(new DatagramPacket(b.toByteArray(), b.size(), server.address()));
  }

  private static String[] concat(String a, String b, String[] rest) {
    String[] all = new String[rest.length + 2];
    all[0] = a;
    all[1] = b;
    System.arraycopy(rest, 0, all, 2, rest.length);
    return all;
  }

  private DatagramPacket receive() throws Exception {
    DatagramPacket p = new DatagramPacket(new byte[70000], 70000);
    client.receive(p);
    return p;
  }

  private void ack(int block, DatagramPacket to) throws Exception {
    byte[] a = {0, 4, (byte) (block >> 8), (byte) block};
    client.send(new DatagramPacket(a, 4, to.getSocketAddress()));
  }

  @Test
  void negotiatesOptionsAndServesTheWholeImageInWindows() throws Exception {
    rrq("fw.bin", "octet", "blksize", "1468", "tsize", "0", "windowsize", "16", "timeout", "5");
    DatagramPacket oack = receive();
    String opts = new String(oack.getData(), 2, oack.getLength() - 2, StandardCharsets.US_ASCII);
    assertEquals(6, oack.getData()[1]);
    assertEquals("blksize\u00001468\u0000tsize\u0000100000\u0000windowsize\u00008\u0000", opts);
    ack(0, oack);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int expected = 1;
    boolean dropped = false;
    while (true) {
      DatagramPacket d = receive();
      ByteBuffer bb = ByteBuffer.wrap(d.getData(), 0, d.getLength());
      assertEquals(3, bb.getShort());
      int blk = bb.getShort() & 0xFFFF;
      int len = d.getLength() - 4;
      if (blk == 5 && !dropped) {
        dropped = true; // lose block 5 once: the server must resend it after its timeout
        continue;
      }
      if (blk != expected) {
        continue; // out of order after a loss: wait for the resend
      }
      got.write(d.getData(), 4, len);
      expected++;
      if (len < 1468) {
        ack(blk, d);
        break;
      }
      if ((blk % 8) == 0) {
        ack(blk, d);
      }
    }
    assertArrayEquals(image, got.toByteArray());
    TftpServer.Result r = server.awaitResult(Duration.ofSeconds(5));
    assertTrue(r.complete(), r::toString);
  }

  /** RFC 7440 §4: an ACK inside the window means "resume after this block". */
  @Test
  void ackInsideTheWindowResumesRightAfterIt() throws Exception {
    rrq("fw.bin", "octet", "blksize", "1468", "windowsize", "8");
    ack(0, receive());
    DatagramPacket last = null;
    for (int i = 1; i <= 8; i++) {
      last = receive();
      assertEquals(i, blockOf(last));
    }
    ack(3, last);
    for (int i = 4; i <= 11; i++) {
      assertEquals(i, blockOf(receive()), "after ACK 3 the server sends 4..11");
    }
  }

  /** RFC 1350 §6: an image of whole blocks ends with an empty DATA block. */
  @Test
  void imageOfWholeBlocksEndsWithAnEmptyBlock() throws Exception {
    byte[] whole = new byte[1024];
    new Random(2).nextBytes(whole);
    try (TftpServer s =
        TftpServer.start(
            TftpServer.Config.defaults(new InetSocketAddress(LO, 0), LO, "fw.bin"),
            () -> new ByteArrayInputStream(whole),
            whole.length,
            UdpChannelFactory.system(),
            (d, t) -> {})) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write(new byte[] {0, 1});
      b.write("fw.bin\u0000octet\u0000".getBytes(StandardCharsets.US_ASCII));
      client.send(new DatagramPacket(b.toByteArray(), b.size(), s.address()));
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      for (int i = 1; i <= 3; i++) {
        DatagramPacket d = receive();
        assertEquals(i, blockOf(d));
        assertEquals(i == 3 ? 0 : 512, d.getLength() - 4);
        got.write(d.getData(), 4, d.getLength() - 4);
        ack(i, d);
      }
      assertArrayEquals(whole, got.toByteArray());
      TftpServer.Result r = s.awaitResult(Duration.ofSeconds(5));
      assertTrue(r.complete() && r.bytes() == whole.length, r::toString);
    }
  }

  private static int blockOf(DatagramPacket d) {
    ByteBuffer bb = ByteBuffer.wrap(d.getData(), 0, d.getLength());
    assertEquals(3, bb.getShort(), "a DATA packet");
    return bb.getShort() & 0xFFFF;
  }

  @Test
  void refusesOtherFilesAndWrites() throws Exception {
    rrq("etc/passwd", "octet");
    DatagramPacket e = receive();
    assertEquals(5, e.getData()[1]);
    assertEquals(1, e.getData()[3]); // file not found
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {0, 2});
    b.write("fw.bin\u0000octet\u0000".getBytes(StandardCharsets.US_ASCII));
    client.send(new DatagramPacket(b.toByteArray(), b.size(), server.address()));
    DatagramPacket w = receive();
    assertEquals(5, w.getData()[1]);
    assertEquals(2, w.getData()[3]); // access violation
    assertTrue(server.lastRefusal().contains("read-only"), server.lastRefusal());
  }
}
