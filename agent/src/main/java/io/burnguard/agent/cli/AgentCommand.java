package io.burnguard.agent.cli;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.daemon.Daemon;
import io.burnguard.agent.daemon.DaemonException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code burnguard agent run}: the daemon. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "The BurnGuard daemon.",
    subcommands = AgentCommand.Run.class)
final class AgentCommand {

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Run the daemon in the foreground (systemd's ExecStart).",
        "Loads and validates the station config (refuses to start if it is invalid), opens the"
            + " database in the data directory, opens the control socket, and serves until"
            + " SIGTERM or SIGINT, then shuts down cleanly.",
        "SIGHUP reloads the station config and trust files, like `burnguard config reload`"
            + " (systemctl reload burnguard)."
      })
  static final class Run implements Callable<Integer> {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Station config (default: $BURNGUARD_CONFIG or /etc/burnguard/station.yaml).")
    Path config;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      ClientOptions o = new ClientOptions();
      o.config = config;
      Path file = o.configFile();
      // SIGHUP is taken before the socket opens: the JVM's default would stop the daemon. The
      // serial library is loaded here too, since loading it ignores SIGHUP (HangupSignal).
      Hangup hangup = new Hangup();
      reloadOnHangup(hangup, err);
      Daemon d;
      try {
        d = Daemon.start(file, Clock.systemUTC());
      } catch (DaemonException e) {
        err.println("burnguard: " + e.getMessage());
        err.flush();
        return e.exit().code();
      }
      Signal.handle(new Signal("TERM"), s -> d.requestStop());
      Signal.handle(new Signal("INT"), s -> d.requestStop());
      hangup.started(d);
      err.println(
          "burnguard: daemon running for station "
              + d.config().station().id()
              + " on "
              + d.config().station().socket());
      err.flush();
      d.awaitStop();
      d.close();
      return ExitCode.OK.code();
    }

    /**
     * SIGHUP reloads ({@link HangupSignal}); where it cannot reach the handler the daemon says so
     * and runs on without it.
     */
    private static void reloadOnHangup(Hangup hangup, PrintWriter err) {
      HangupSignal.Installed h = HangupSignal.install(hangup::signalled);
      if (!h.caught()) {
        err.println(
            "burnguard: SIGHUP will not reload the config: "
                + h.problem()
                + "; use `burnguard config reload` instead");
        err.flush();
      }
    }
  }

  /**
   * SIGHUP to a daemon that may still be starting: a reload once it runs (the file may have changed
   * after start loaded it), at once when it already runs.
   */
  static final class Hangup {
    private final AtomicReference<Daemon> daemon = new AtomicReference<>();
    private final AtomicBoolean early = new AtomicBoolean();

    void signalled() {
      Daemon d = daemon.get();
      if (d != null) {
        d.reloadFromSignal();
        return;
      }
      early.set(true);
      Daemon now = daemon.get();
      if (now != null && early.getAndSet(false)) {
        now.reloadFromSignal();
      }
    }

    void started(Daemon d) {
      daemon.set(d);
      if (early.getAndSet(false)) {
        d.reloadFromSignal();
      }
    }
  }
}
