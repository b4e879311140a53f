package io.burnguard.agent.control;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.contract.Operation;
import io.burnguard.config.Role;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses a request the caller's roles do not allow: records it (coalesced, {@link
 * RefusalCoalescer}, then through the daemon's {@link DenialRecorder}) and answers with exit 3 and
 * a sentence naming the role needed, the roles held and who can fix it.
 */
final class Denials {
  private final RefusalCoalescer record;

  Denials(RefusalCoalescer record) {
    this.record = record;
  }

  /** Records the refusal and returns the answer for the caller. */
  Result deny(Caller caller, Operation op) {
    record.refusedAndRecord(
        Denial.Kind.ROLE, caller, op.wireName(), String.join(" or ", words(op.roles())));
    return Result.fail(ExitCode.REFUSED, message(caller, op));
  }

  static String message(Caller caller, Operation op) {
    Set<String> need = words(op.roles());
    Set<String> have = words(caller.roles());
    String needWords =
        op.openToEveryRole()
            ? "a BurnGuard role (any of " + String.join(", ", need) + ")"
            : "the role " + String.join(" or ", need);
    return "refused: \""
        + op.wireName().replace('.', ' ')
        + "\" needs "
        + needWords
        + "; you are "
        + caller.user()
        + " in groups "
        + caller.groups()
        + ", which map to "
        + (have.isEmpty() ? "no role" : "the roles " + String.join(", ", have))
        + ". Ask the station engineer to add you to a group mapped to "
        + (op.openToEveryRole() ? "a role" : String.join(" or ", need))
        + " in station.yaml (roles:). This refusal is recorded.";
  }

  private static Set<String> words(Set<Role> roles) {
    Set<String> words = new TreeSet<>();
    roles.forEach(r -> words.add(r.word()));
    return words;
  }
}
