package io.burnguard.agent.vetting;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A verified withdrawal list ({@code withdrawals.json}): the recalls, with a sequence that never
 * goes back and a short expiry so a frozen (stale) list cannot keep a recalled release burnable.
 *
 * @param sequence monotonically increasing publication number
 * @param issued when it was signed
 * @param expires after this instant the list blocks burning until a fresh one is fetched
 * @param withdrawn the withdrawn releases
 */
public record WithdrawalList(
    long sequence, Instant issued, Instant expires, List<Entry> withdrawn) {

  /** One withdrawn release. */
  public record Entry(String name, String version, String reason) {
    /** Enforces the schema. */
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Enforces the schema. */
  public WithdrawalList {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative, found " + sequence);
    }
    Objects.requireNonNull(issued, "issued");
    Objects.requireNonNull(expires, "expires");
    if (!expires.isAfter(issued)) {
      throw new IllegalArgumentException("expires " + expires + " must be after issued " + issued);
    }
    withdrawn = List.copyOf(withdrawn);
  }

  /** The entry withdrawing {@code name} {@code version}, if any. */
  public java.util.Optional<Entry> find(String name, String version) {
    return withdrawn.stream()
        .filter(e -> e.name().equals(name) && e.version().equals(version))
        .findFirst();
  }
}
