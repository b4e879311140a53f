package io.burnguard.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.burnguard.agent.daemon.HangupCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP reaches the daemon's handler after the serial library loaded (issue 13 follow-up: its
 * JNI_OnLoad sets SIGHUP to SIG_IGN). Runs in this test JVM: it replaces the JVM's own SIGHUP
 * action (exit) with a handler, which nothing else in the unit tests relies on.
 */
class HangupSignalTest {
  @TempDir Path tmp;

  @Test
  void sighupIsDeliveredToTheHandlerAfterTheSerialLibraryIgnoredIt() throws Exception {
    SerialPort.getVersion(); // loads the native library: SIGHUP is now ignored by the kernel
    Path self = Path.of("/proc/self/status");
    assertEquals(Optional.of(false), HangupCheck.caught(self), "the library ignores SIGHUP");

    Semaphore hangups = new Semaphore(0);
    HangupSignal.Installed h = HangupSignal.install(hangups::release);
    assertTrue(h.caught(), h.problem());
    assertEquals(Optional.of(true), HangupCheck.caught(self));

    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
    assertEquals(0, kill.waitFor());
    assertTrue(
        hangups.tryAcquire(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS),
        "the handler ran");
  }

  @Test
  void theKernelsMasksAreReadForSignalOne() throws Exception {
    Path status = tmp.resolve("status");
    Files.writeString(
        status, "Name:\tjava\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000001\n");
    assertEquals(Optional.of(true), HangupCheck.caught(status));
    Files.writeString(status, "SigIgn:\t0000000010320a01\nSigCgt:\t20000001010054ce\n");
    assertEquals(Optional.of(false), HangupCheck.caught(status), "ignored, as jSerialComm left it");
    Files.writeString(status, "SigIgn:\t0000000000000001\nSigCgt:\t0000000000000001\n");
    assertEquals(Optional.of(false), HangupCheck.caught(status), "ignored wins");
    Files.writeString(status, "Name:\tjava\n");
    assertEquals(Optional.empty(), HangupCheck.caught(status));
    assertEquals(Optional.empty(), HangupCheck.caught(tmp.resolve("missing")));
  }
}
