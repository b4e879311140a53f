package io.burnguard.agent.cli;

import com.fazecast.jSerialComm.SerialPort;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.burnguard.agent.daemon.HangupCheck;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP for the daemon: a config reload, whatever the process inherited or a library did to the
 * signal (docs/decisions.md, "Config reload").
 *
 * <p>Why this is more than {@code Signal.handle}: jSerialComm's native library, in its {@code
 * JNI_OnLoad}, sets SIGHUP (with SIGIO, SIGCONT, SIGUSR1/2, SIGTTIN and SIGTTOU) to SIG_IGN. It
 * loads when a burn first opens a serial console, so from the first burn on every SIGHUP was
 * dropped by the kernel and {@code systemctl reload} did nothing, silently. The JVM cannot put its
 * handler back: it refuses to handle a shutdown signal that is ignored ({@code Signal.handle}
 * returns SIG_IGN and installs nothing); the same happens when the daemon is started with SIGHUP
 * ignored (nohup, some supervisors).
 *
 * <p>So, in this order, before the daemon starts: the serial library is loaded (its one change to
 * the signals happens now, not during a burn); SIGHUP is set back to its default with {@code
 * signal(2)} through JNA; the handler is installed; and the kernel's view of the process is read
 * back ({@code SigCgt} in {@code /proc/self/status}) to prove that SIGHUP is now caught. Between
 * the reset and the install (microseconds, at start) a SIGHUP would stop the process, as it does
 * before the JVM's own start-up has installed anything.
 */
final class HangupSignal {
  private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

  private static final int SIGHUP = 1;

  /** The outcome of {@link #install}: whether the kernel now delivers SIGHUP to the handler. */
  record Installed(boolean caught, String problem) {}

  interface LibC extends Library {
    /** {@code signal(2)}: a null handler is SIG_DFL. */
    Pointer signal(int signum, Pointer handler);
  }

  private HangupSignal() {}

  /** Installs {@code onHangup} as the SIGHUP handler and reports whether SIGHUP now reaches it. */
  static Installed install(Runnable onHangup) {
    loadSerialLibrary();
    String reset = resetToDefault();
    try {
      Signal.handle(new Signal("HUP"), s -> onHangup.run());
    } catch (IllegalArgumentException e) {
      return new Installed(
          false, "the JVM does not let SIGHUP be handled (" + e.getMessage() + ")");
    }
    if (!HangupCheck.caught(Path.of("/proc/self/status")).orElse(true)) {
      return new Installed(
          false,
          "SIGHUP is still not caught after installing the handler"
              + (reset == null ? "" : " (" + reset + ")"));
    }
    return new Installed(true, reset == null ? "" : reset);
  }

  /**
   * Loads jSerialComm's native library now, so that the change it makes to the signals happens
   * before the handler is installed. A station whose serial library cannot load still starts (its
   * burns will say why); only the reason is logged here.
   */
  private static void loadSerialLibrary() {
    try {
      log.debug("serial library {} loaded", SerialPort.getVersion());
    } catch (LinkageError | RuntimeException e) {
      log.warn("the serial library (jSerialComm) does not load: {}", e.toString());
    }
  }

  /** Sets SIGHUP back to SIG_DFL; null when done, else why not. */
  private static String resetToDefault() {
    try {
      LibC c = Native.load("c", LibC.class);
      c.signal(SIGHUP, null);
      return null;
    } catch (LinkageError | RuntimeException e) {
      return "SIGHUP could not be reset to its default: " + e;
    }
  }
}
