package io.burnguard.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;

/**
 * The final answer to a request.
 *
 * @param exit the exit code the CLI ends with
 * @param message one or more sentences for a person; empty when {@code data} says it all
 * @param data structured result for {@code --json} and for the CLI's own rendering
 */
public record Result(ExitCode exit, String message, JsonNode data) {
  public Result {
    message = message == null ? "" : message;
    data = data == null ? Wire.object() : data;
  }

  /** Success with data. */
  public static Result ok(JsonNode data) {
    return new Result(ExitCode.OK, "", data);
  }

  /** A failure with a sentence. */
  public static Result fail(ExitCode exit, String message) {
    return new Result(exit, message, null);
  }

  JsonNode toJson() {
    ObjectNode n = Wire.object();
    n.put("type", "result");
    n.put("exit", exit.code());
    n.put("message", message);
    n.set("data", data);
    return n;
  }
}
