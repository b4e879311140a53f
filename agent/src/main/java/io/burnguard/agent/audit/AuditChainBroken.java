package io.burnguard.agent.audit;

import java.util.List;

/**
 * The audit chain or a head does not verify. Carries the first sequence where the damage shows and
 * what kind of damage it is; the message says what was found and expected.
 */
public final class AuditChainBroken extends Exception {
  /** What verification found. */
  public enum Problem {
    /** A row's content no longer matches its own hash: edited in place. */
    EDITED,
    /** A sequence number is missing: the row was deleted. */
    MISSING,
    /** A row does not link to the one before it: rows were inserted, deleted or reordered. */
    BROKEN_LINK,
    /** A row is not signed by the station key: forged, or the chain was rewritten after it. */
    BAD_SIGNATURE,
    /** A row cannot be decoded (hash or signature column is not hex of the right length). */
    MALFORMED,
    /** A head records more entries than the chain has: the tail was cut off. */
    TAIL_CUT,
    /** A head records a different hash for its sequence: the chain was rewritten. */
    HEAD_MISMATCH,
    /** A head is not signed by the station key, or cannot be read. */
    BAD_HEAD,
    /**
     * The chain is intact but a table it projects (burns, orders, alerts, ...) differs from the
     * rows it recorded: rows were edited, inserted or deleted outside BurnGuard.
     */
    TABLE_MISMATCH
  }

  private final Problem problem;
  private final long sequence;
  private final transient List<RowDifference> differences;
  private final long differenceCount;

  AuditChainBroken(Problem problem, long sequence, String message) {
    this(problem, sequence, message, List.of(), 0);
  }

  AuditChainBroken(
      Problem problem,
      long sequence,
      String message,
      List<RowDifference> differences,
      long differenceCount) {
    super(message);
    this.problem = problem;
    this.sequence = sequence;
    this.differences = List.copyOf(differences);
    this.differenceCount = differenceCount;
  }

  /** For {@link Problem#TABLE_MISMATCH}: the differing rows found (at most a few hundred). */
  public List<RowDifference> differences() {
    return differences;
  }

  /** For {@link Problem#TABLE_MISMATCH}: how many differences there are in all. */
  public long differenceCount() {
    return differenceCount;
  }

  /** The kind of damage. */
  public Problem problem() {
    return problem;
  }

  /** The first sequence where the damage shows. */
  public long sequence() {
    return sequence;
  }
}
