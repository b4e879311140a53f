package io.burnguard.agent.control;

import io.burnguard.config.Role;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may hold a connection and who may take a worker.
 *
 * <p>Threat: a socket-group member with no role opens 64 idle connections, again and again, and the
 * operators are locked out (issue 12, finding 4). Three limits answer it:
 *
 * <ul>
 *   <li><b>Connections per user</b> ({@link #MAX_PER_USER}) and in all ({@link #MAX_OPEN}), from
 *       accept to close. Idle connections cost a file descriptor and a small buffer, never a thread
 *       (the request line is read on the selector), and are cut after {@link
 *       Wire#REQUEST_DEADLINE_MS}.
 *   <li><b>Workers are given per request</b>, once the line is complete and the caller's roles
 *       known: of {@link #MAX_WORKERS}, the last {@link #OPERATOR_RESERVE} are kept for callers
 *       holding the operator role (a burn must not wait on anyone), and callers without any role,
 *       who can only be refused, share {@link #NO_ROLE_WORKERS}.
 * </ul>
 *
 * Each refusal is a sentence for the caller (exit 5, "busy"); null means admitted. Thread-safe.
 */
final class Admission {
  static final int MAX_WORKERS = ControlServer.MAX_CONNECTIONS;
  static final int OPERATOR_RESERVE = 4;
  static final int NO_ROLE_WORKERS = 2;
  static final int MAX_PER_USER = 16;
  static final int MAX_OPEN = 256;

  private final Map<String, Integer> openByUser = new HashMap<>();
  private int open;
  private int working;
  private int workingWithoutRole;

  /** Admits a new connection of {@code c}, or says why not. */
  synchronized String open(Caller c) {
    int mine = openByUser.getOrDefault(c.user(), 0);
    if (mine >= MAX_PER_USER) {
      return "the daemon is busy: you ("
          + c.user()
          + ") already have "
          + mine
          + " connections open to it, the most one user may hold; end the stuck commands or"
          + " scripts and try again";
    }
    if (open >= MAX_OPEN) {
      return "the daemon is busy: " + open + " connections are open; try again in a moment";
    }
    openByUser.put(c.user(), mine + 1);
    open++;
    return null;
  }

  /** A connection admitted by {@link #open} has closed. */
  synchronized void closed(Caller c) {
    openByUser.computeIfPresent(c.user(), (u, n) -> n > 1 ? n - 1 : null);
    open--;
  }

  /** Gives {@code c} a worker for its request, or says why not. */
  synchronized String work(Caller c) {
    boolean operator = c.roles().contains(Role.OPERATOR);
    boolean noRole = c.roles().isEmpty();
    int limit = operator ? MAX_WORKERS : MAX_WORKERS - OPERATOR_RESERVE;
    if (working >= limit) {
      return "the daemon is busy serving "
          + working
          + " requests"
          + (operator ? "" : " (" + OPERATOR_RESERVE + " more are kept for operators)")
          + "; try again in a moment";
    }
    if (noRole && workingWithoutRole >= NO_ROLE_WORKERS) {
      return "the daemon is busy: "
          + workingWithoutRole
          + " requests from users without a BurnGuard role are being answered; try again in a"
          + " moment";
    }
    working++;
    if (noRole) {
      workingWithoutRole++;
    }
    return null;
  }

  /** The worker given by {@link #work} is free again. */
  synchronized void done(Caller c) {
    working--;
    if (c.roles().isEmpty()) {
      workingWithoutRole--;
    }
  }
}
