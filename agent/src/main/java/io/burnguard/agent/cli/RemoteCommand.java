package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.agent.control.Result;
import io.burnguard.agent.control.Wire;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command served by the daemon: sends one request and prints the result. */
abstract class RemoteCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Mixin JsonOption jsonOption;

  @Spec CommandSpec spec;

  /** The daemon operation this command requests. */
  abstract Operation op();

  /** The request arguments. */
  ObjectNode args() {
    return Wire.object();
  }

  /** True when {@code --json} was given. */
  boolean json() {
    return jsonOption.json;
  }

  /** Renders a successful result for people; the default prints the message. */
  void render(Result r, PrintWriter out) {
    if (!r.message().isEmpty()) {
      out.println(Terminal.safe(r.message()));
    } else {
      out.println(Remote.pretty(r.data()));
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Timing.mark("options parsed");
    Result r = Remote.call(client, op(), args(), out, err);
    if (r.exit() == ExitCode.OK && !json()) {
      render(r, out);
      out.flush();
      return 0;
    }
    return Remote.print(r, json(), out, err);
  }
}
