package io.burnguard.agent.cli;

import io.burnguard.agent.contract.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command of the contract whose capability is not built yet: it parses its options (so {@code
 * --help} already documents it) and then says so with exit 2, never pretending success.
 */
abstract class NotBuilt implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            "burnguard: `"
                + spec.qualifiedName()
                + "` is not built yet in this version of BurnGuard; nothing was done.");
    return ExitCode.USAGE.code();
  }
}
