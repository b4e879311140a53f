package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.ControlClient;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Calls the daemon and turns its result into output and an exit code. */
final class Remote {
  private Remote() {}

  static Result call(
      ClientOptions client, Operation op, ObjectNode args, PrintWriter out, PrintWriter err) {
    return call(client, op, args, out, err, false);
  }

  /**
   * @param streamedText whether text the daemon streams to stdout is for people (a table, CSV) and
   *     so goes through {@link Terminal}; streamed JSON is escaped by Jackson already
   */
  static Result call(
      ClientOptions client,
      Operation op,
      ObjectNode args,
      PrintWriter out,
      PrintWriter err,
      boolean streamedText) {
    Timing.mark("request built (JSON)");
    ControlClient.Listener listener = new ProgressPrinter(out, err, streamedText);
    Path socket = client.socketPath();
    Timing.mark("socket path (config)");
    if (Timing.on()) {
      listener = new TimedListener(listener);
    }
    Result r = new ControlClient(socket).call(op, args, listener);
    Timing.mark("rest of the daemon's answer");
    return r;
  }

  /** Marks the first line the daemon sends: connect, request and the daemon's work before it. */
  private static final class TimedListener implements ControlClient.Listener {
    private final ControlClient.Listener inner;
    private boolean first = true;

    TimedListener(ControlClient.Listener inner) {
      this.inner = inner;
    }

    private void first() {
      if (first) {
        first = false;
        Timing.mark("connect to the daemon's first line");
      }
    }

    @Override
    public void progress(String phase, long done, long total) {
      first();
      inner.progress(phase, done, total);
    }

    @Override
    public void info(String message) {
      first();
      inner.info(message);
    }

    @Override
    public void out(String text) {
      first();
      inner.out(text);
    }
  }

  /**
   * Prints a result: with {@code --json} the data as JSON on stdout (and any failure message on
   * stderr, so scripts can still read why); otherwise the message. Returns the exit code.
   */
  static int print(Result r, boolean json, PrintWriter out, PrintWriter err) {
    if (json && r.exit() == ExitCode.OK) {
      out.println(pretty(r.data()));
    } else if (r.exit() == ExitCode.OK) {
      if (!r.message().isEmpty()) {
        out.println(Terminal.safe(r.message()));
      }
    } else {
      if (json) {
        ObjectNode n = Wire.object();
        n.put("exit", r.exit().code());
        n.put("error", r.message());
        out.println(pretty(n));
      }
      err.println("burnguard: " + Terminal.safe(r.message()));
    }
    out.flush();
    err.flush();
    return r.exit().code();
  }

  static String pretty(JsonNode n) {
    return Wire.pretty(n);
  }
}
