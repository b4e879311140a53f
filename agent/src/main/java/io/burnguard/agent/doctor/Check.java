package io.burnguard.agent.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.control.Wire;

/**
 * One line of {@code burnguard doctor}.
 *
 * @param name what was checked
 * @param status the verdict
 * @param detail what was found
 * @param fix what to do when it is not OK (empty when OK)
 * @param exit the exit code doctor ends with when this check fails
 */
public record Check(String name, Status status, String detail, String fix, ExitCode exit) {
  /** The verdicts, best first. */
  public enum Status {
    OK,
    WARN,
    FAIL
  }

  public Check {
    fix = fix == null ? "" : fix;
  }

  public static Check ok(String name, String detail) {
    return new Check(name, Status.OK, detail, "", ExitCode.OK);
  }

  public static Check warn(String name, String detail, String fix) {
    return new Check(name, Status.WARN, detail, fix, ExitCode.OK);
  }

  public static Check fail(String name, String detail, String fix, ExitCode exit) {
    return new Check(name, Status.FAIL, detail, fix, exit);
  }

  public JsonNode toJson() {
    ObjectNode n = Wire.object();
    n.put("name", name);
    n.put("status", status.name());
    n.put("detail", detail);
    n.put("fix", fix);
    n.put("exit", exit.code());
    return n;
  }

  public static Check fromJson(JsonNode n) {
    return new Check(
        n.path("name").asText(),
        Status.valueOf(n.path("status").asText("FAIL")),
        n.path("detail").asText(),
        n.path("fix").asText(),
        ExitCode.of(n.path("exit").asInt(1)));
  }
}
