package io.burnguard.drivers.ymodem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.serial.SerialLink;
import io.burnguard.drivers.serial.SerialLinkFactory;
import io.burnguard.drivers.testing.BoardRecipes;
import io.burnguard.drivers.testing.PtyPair;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our YMODEM sender against lrzsz's rz on socat ptys, clean and through a hostile relay. */
class YmodemRzIT {
  @TempDir Path tmp;

  private Process rz(String pty, Path dir) throws IOException {
    if (!new File("/usr/bin/rz").exists()) {
      throw new IllegalStateException("/usr/bin/rz is missing; apt-get install lrzsz");
    }
    return new ProcessBuilder(List.of("rz", "--ymodem", "-y", "-q"))
        .directory(dir.toFile())
        .redirectInput(new File(pty))
        .redirectOutput(new File(pty))
        .redirectError(dir.resolve("rz.log").toFile())
        .start();
  }

  private static String rzLog(Path dir) {
    try {
      return Files.readString(dir.resolve("rz.log"));
    } catch (IOException e) {
      return "(no rz.log: " + e.getMessage() + ")";
    }
  }

  private static void stop(Process p) throws InterruptedException {
    ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
    p.waitFor(5, TimeUnit.SECONDS);
  }

  /**
   * One delivery to rz: an image of {@code size} bytes over a clean line or over a line that flips
   * one byte in the middle of the third 1024-byte block once (the receiver NAKs, the block is sent
   * again).
   */
  record Delivery(String name, int size, boolean corruptOnce) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Delivery> deliveries() {
    return Stream.of(
        new Delivery("100000 bytes, a partial last block", 100_000, false),
        new Delivery("1024 bytes, exactly one block", 1024, false),
        new Delivery("1025 bytes, one block and one byte", 1025, false),
        new Delivery("1 byte", 1, false),
        new Delivery("20000 bytes, third block corrupted once and resent", 20_000, true));
  }

  @ParameterizedTest(name = "rz receives the exact file: {0}")
  @MethodSource("deliveries")
  void rzReceivesTheExactFile(Delivery d) throws Exception {
    byte[] image = BoardRecipes.randomImage(d.size(), d.size());
    Path out = Files.createDirectory(tmp.resolve("out"));
    AtomicBoolean flipped = new AtomicBoolean();
    Relay.Mangler line =
        (buf, n, total) -> {
          if (d.corruptOnce()
              && total > 3000
              && total - n < 3000
              && flipped.compareAndSet(false, true)) {
            buf[(int) (3000 - (total - n))] ^= 0x55;
          }
          return n;
        };
    try (PtyPair near = PtyPair.open(tmp, "near");
        PtyPair far = PtyPair.open(tmp, "far");
        Relay relay = Relay.start(near.b(), far.a(), line, Relay.PASS);
        SerialLink link = SerialLinkFactory.jSerialComm().open(near.a(), 115200)) {
      Process rz = rz(far.b(), out);
      try {
        new YmodemSender(link, Clock.systemUTC(), CancellationToken.create())
            .ackTimeout(Duration.ofSeconds(3))
            .send("fw.bin", image.length, new ByteArrayInputStream(image), (done, t) -> {});
        assertTrue(rz.waitFor(30, TimeUnit.SECONDS), "rz ends after the transfer");
        assertEquals(0, rz.exitValue(), () -> "rz exit status; log: " + rzLog(out));
        assertArrayEquals(image, Files.readAllBytes(out.resolve("fw.bin")));
        assertEquals(d.corruptOnce(), flipped.get(), "the line corrupted a block");
      } finally {
        stop(rz);
      }
    }
  }

  @Test
  void lineThatDropsEverythingFailsAfterRetries() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    // After 2000 bytes the line is cut both ways: no ACK, NAK or CAN from rz reaches the sender,
    // so only its own retry limit can stop it.
    AtomicBoolean cut = new AtomicBoolean();
    Relay.Mangler forward =
        (buf, n, total) -> {
          if (total > 2000) {
            cut.set(true);
          }
          return cut.get() ? 0 : n;
        };
    Relay.Mangler back = (buf, n, total) -> cut.get() ? 0 : n;
    try (PtyPair near = PtyPair.open(tmp, "near");
        PtyPair far = PtyPair.open(tmp, "far");
        Relay relay = Relay.start(near.b(), far.a(), forward, back);
        SerialLink link = SerialLinkFactory.jSerialComm().open(near.a(), 115200)) {
      Process rz = rz(far.b(), out);
      try {
        YmodemException e =
            assertThrows(
                YmodemException.class,
                () ->
                    new YmodemSender(link, Clock.systemUTC(), CancellationToken.create())
                        .ackTimeout(Duration.ofMillis(300))
                        .maxRetries(3)
                        .send(
                            "fw.bin",
                            50_000,
                            new ByteArrayInputStream(new byte[50_000]),
                            (d, t) -> {}));
        assertEquals(YmodemException.Reason.TOO_MANY_RETRIES, e.reason(), e::getMessage);
      } finally {
        stop(rz);
      }
    }
  }

  @Test
  void receiverCancelStopsTheSender() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    try (PtyPair pair = PtyPair.open(tmp, "line");
        SerialLink link = SerialLinkFactory.jSerialComm().open(pair.a(), 115200);
        // Held open by the test so the receiver's side of the pty stays up after rz is killed.
        SerialLink receiverSide = SerialLinkFactory.jSerialComm().open(pair.b(), 115200)) {
      Process rz = rz(pair.b(), out);
      AtomicBoolean cancelled = new AtomicBoolean();
      try {
        YmodemException e =
            assertThrows(
                YmodemException.class,
                () ->
                    new YmodemSender(link, Clock.systemUTC(), CancellationToken.create())
                        .ackTimeout(Duration.ofSeconds(2))
                        .maxRetries(3)
                        .send(
                            "fw.bin",
                            2_000_000,
                            new ByteArrayInputStream(new byte[2_000_000]),
                            (d, t) -> {
                              if (d >= 8192 && cancelled.compareAndSet(false, true)) {
                                cancelAsReceiver(rz, receiverSide);
                              }
                            }));
        assertEquals(YmodemException.Reason.RECEIVER_CANCELLED, e.reason(), e::getMessage);
      } finally {
        stop(rz);
      }
    }
  }

  /** The receiver gives up the way rz does on abort: it stops and sends CAN CAN on the line. */
  private static void cancelAsReceiver(Process rz, SerialLink receiverSide) {
    try {
      stop(rz);
      receiverSide.write(new byte[] {0x18, 0x18, 0x18, 0x18, 0x18});
    } catch (IOException | InterruptedException x) {
      throw new IllegalStateException(x);
    }
  }
}
