package io.burnguard.drivers.ymodem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  private static void stop(Process p) throws InterruptedException {
    ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
    p.waitFor(5, TimeUnit.SECONDS);
  }

  @Test
  void rzReceivesTheExactFile() throws Exception {
    byte[] image = BoardRecipes.randomImage(100_000, 5); // not a multiple of 1024: tests the tail
    Path out = Files.createDirectory(tmp.resolve("out"));
    try (PtyPair pair = PtyPair.open(tmp, "line");
        SerialLink link = SerialLinkFactory.jSerialComm().open(pair.a(), 115200)) {
      Process rz = rz(pair.b(), out);
      try {
        new YmodemSender(link, Clock.systemUTC(), CancellationToken.create())
            .send("fw.bin", image.length, new ByteArrayInputStream(image), (d, t) -> {});
        assertEquals(0, rz.waitFor(30, TimeUnit.SECONDS) ? rz.exitValue() : -1);
        assertArrayEquals(image, Files.readAllBytes(out.resolve("fw.bin")));
      } finally {
        stop(rz);
      }
    }
  }

  @Test
  void corruptedBlocksAreResentAndTheFileStillArrivesIntact() throws Exception {
    byte[] image = BoardRecipes.randomImage(20_000, 6);
    Path out = Files.createDirectory(tmp.resolve("out"));
    AtomicBoolean once = new AtomicBoolean();
    try (PtyPair near = PtyPair.open(tmp, "near");
        PtyPair far = PtyPair.open(tmp, "far");
        Relay relay =
            Relay.start(
                near.b(),
                far.a(),
                (buf, n, total) -> {
                  // Flip one byte in the middle of the third block, once.
                  if (total > 3000 && total - n < 3000 && once.compareAndSet(false, true)) {
                    buf[(int) (3000 - (total - n))] ^= 0x55;
                  }
                  return n;
                });
        SerialLink link = SerialLinkFactory.jSerialComm().open(near.a(), 115200)) {
      Process rz = rz(far.b(), out);
      try {
        new YmodemSender(link, Clock.systemUTC(), CancellationToken.create())
            .ackTimeout(Duration.ofSeconds(3))
            .send("fw.bin", image.length, new ByteArrayInputStream(image), (d, t) -> {});
        rz.waitFor(30, TimeUnit.SECONDS);
        assertArrayEquals(image, Files.readAllBytes(out.resolve("fw.bin")));
        assertEquals(true, once.get());
      } finally {
        stop(rz);
      }
    }
  }

  @Test
  void lineThatDropsEverythingFailsAfterRetries() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    try (PtyPair near = PtyPair.open(tmp, "near");
        PtyPair far = PtyPair.open(tmp, "far");
        Relay relay = Relay.start(near.b(), far.a(), (buf, n, total) -> total > 2000 ? 0 : n);
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
        // rz may also give up first and cancel; either way the sender stops and says why.
        assertEquals(
            true,
            e.reason() == YmodemException.Reason.TOO_MANY_RETRIES
                || e.reason() == YmodemException.Reason.RECEIVER_CANCELLED,
            e::getMessage);
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
