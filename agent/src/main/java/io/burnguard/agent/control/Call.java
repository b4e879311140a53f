package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request being served: who asked, with what arguments, and a way to report progress while the
 * operation runs. Progress sends never throw: a client that went away (Ctrl-C) must not abort work
 * that is already recording its own outcome.
 */
public interface Call {
  /** The authenticated caller. */
  Caller caller();

  /** The request's arguments (an object, possibly empty). */
  JsonNode args();

  /** Sends a progress line; {@code total} is -1 when unknown. */
  void progress(String phase, long done, long total);

  /** Sends an informational line the CLI prints as it comes. */
  void info(String message);

  /**
   * Text for the client's standard output, streamed in chunks as it is written (for long listings
   * such as {@code units}: constant memory in the daemon, whatever the number of rows). Flushed
   * before the result is sent.
   */
  java.io.Writer stdout();

  /** True while the client is still connected. */
  boolean clientConnected();

  /** A required text argument, or a usage error naming it. */
  default String text(String name) throws OperationException {
    JsonNode v = args().get(name);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new OperationException(
          io.burnguard.agent.contract.ExitCode.USAGE,
          "the request lacks the argument \"" + name + "\"");
    }
    return v.asText();
  }
}
