package io.burnguard.agent.cli;

/** Entry point of the {@code burnguard} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(ExitCode.USAGE.code());
  }
}
