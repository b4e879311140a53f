package io.burnguard.agent.fleet;

/**
 * A problem {@code fleet audit} found in one station's shipped chain or heads.
 *
 * @param problem what kind: an {@code AuditChainBroken.Problem} name (MISSING, BROKEN_LINK, EDITED,
 *     BAD_SIGNATURE, MALFORMED, TAIL_CUT, HEAD_MISMATCH, BAD_HEAD), KEYS_MISMATCH,
 *     HEAD_NOT_EXTENDED or FLAGGED
 * @param seq the first sequence where it shows
 * @param message what was found and expected
 */
public record Finding(String problem, long seq, String message) {}
