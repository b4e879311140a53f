package io.burnguard.agent.parts;

import static io.burnguard.agent.parts.PartState.IN_USE;
import static io.burnguard.agent.parts.PartState.RECEIVED;
import static io.burnguard.agent.parts.PartState.SANITIZED;
import static io.burnguard.agent.parts.PartState.SCRAPPED;

import io.burnguard.agent.parts.TransitionRefused.Reason;
import io.burnguard.config.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * The allowed moves of a key part, as pure functions (no I/O): each returns the part after the move
 * or refuses with the current state named.
 *
 * <pre>
 *   RECEIVED --sanitized--> SANITIZED --install(unit)--> INSTALLED
 *       ^                       |  \--use------------> IN_USE --sanitized--> SANITIZED
 *       +----malware found------+---------------------- (SANITIZED, IN_USE)
 *   any state but SCRAPPED --scrap (engineer)--> same state, scrap on record
 *                         --witness (security, another person)--> SCRAPPED
 * </pre>
 *
 * <p>Re-sanitizing a SANITIZED or IN_USE part is allowed (reuse on the line). An INSTALLED part is
 * inside a unit and only leaves that state by being scrapped. Scrapping takes two people so that a
 * single insider cannot claim a part destroyed and keep its data.
 */
public final class PartLifecycle {
  private static final Set<PartState> SANITIZABLE = EnumSet.of(RECEIVED, SANITIZED, IN_USE);
  private static final Set<PartState> SCANNABLE = EnumSet.of(RECEIVED, SANITIZED, IN_USE);

  private PartLifecycle() {}

  /** Whether a sanitize may start: checked before a byte is written. */
  public static void requireSanitizable(Part p) throws TransitionRefused {
    if (!SANITIZABLE.contains(p.state())) {
      throw illegal(p, "sanitize", "only a RECEIVED, SANITIZED or IN_USE part can be sanitized");
    }
    requireNoScrap(p, "sanitize");
  }

  /**
   * A sanitize is about to write: from here the part is RECEIVED until the run completes, so a run
   * cut short (cancel, crash, power loss) never leaves an old certificate describing content that
   * has been partly overwritten.
   */
  public static Part sanitizeStarted(Part p) throws TransitionRefused {
    requireSanitizable(p);
    return p.with(RECEIVED, null, null, null);
  }

  /** After a complete sanitize (with its certificate). */
  public static Part sanitized(Part p) throws TransitionRefused {
    requireSanitizable(p);
    return p.with(SANITIZED, null, null, null);
  }

  /** Built into the unit with {@code barcode}. */
  public static Part install(Part p, String barcode) throws TransitionRefused {
    if (p.state() != SANITIZED) {
      throw illegal(p, "install", "only a SANITIZED part can be installed; sanitize it first");
    }
    requireNoScrap(p, "install");
    if (barcode == null || barcode.isBlank()) {
      throw new TransitionRefused(Reason.NO_UNIT, p, "install", "give the unit's barcode");
    }
    return p.with(PartState.INSTALLED, barcode, null, null);
  }

  /** Taken into use on the line. */
  public static Part use(Part p) throws TransitionRefused {
    if (p.state() != SANITIZED) {
      throw illegal(p, "take into use", "only a SANITIZED part can be used; sanitize it first");
    }
    requireNoScrap(p, "take into use");
    return p.with(IN_USE, null, null, null);
  }

  /** A scan found malware: back to RECEIVED, to be sanitized again. */
  public static Part malwareFound(Part p) throws TransitionRefused {
    if (!SCANNABLE.contains(p.state())) {
      throw illegal(
          p, "record a scan detection", "only parts not installed or scrapped are scanned");
    }
    return p.with(RECEIVED, null, p.scrap(), null);
  }

  /** The engineer's record of destruction; the part is SCRAPPED only once witnessed. */
  public static Part scrap(Part p, ScrapRecord r) throws TransitionRefused {
    if (p.state() == SCRAPPED) {
      throw illegal(p, "scrap", "it is already scrapped");
    }
    if (p.scrap() != null) {
      throw new TransitionRefused(
          Reason.ALREADY_SCRAP_RECORDED,
          p,
          "scrap",
          "a scrap record by "
              + p.scrap().by().user()
              + " exists; a security staff member must"
              + " witness it");
    }
    if (!r.by().has(Role.ENGINEER)) {
      throw new TransitionRefused(
          Reason.WRONG_ROLE, p, "scrap", r.by().user() + " does not have the engineer role");
    }
    return p.with(p.state(), p.unitBarcode(), r, null);
  }

  /** The witness: a security staff member other than the one who scrapped it. */
  public static Part witness(Part p, WitnessRecord w) throws TransitionRefused {
    if (p.state() == SCRAPPED) {
      throw illegal(p, "witness", "it is already scrapped and witnessed");
    }
    if (p.scrap() == null) {
      throw new TransitionRefused(
          Reason.NO_SCRAP_RECORD,
          p,
          "witness",
          "no scrap record exists; an engineer records the scrapping first (parts scrap)");
    }
    if (!w.by().has(Role.SECURITY)) {
      throw new TransitionRefused(
          Reason.WRONG_ROLE, p, "witness", w.by().user() + " does not have the security role");
    }
    if (w.by().user().equals(p.scrap().by().user())) {
      throw new TransitionRefused(
          Reason.SAME_PERSON,
          p,
          "witness",
          w.by().user()
              + " recorded the scrapping and cannot also witness it; another security"
              + " staff member must");
    }
    return p.with(SCRAPPED, p.unitBarcode(), p.scrap(), w);
  }

  private static void requireNoScrap(Part p, String move) throws TransitionRefused {
    if (p.scrap() != null) {
      throw new TransitionRefused(
          Reason.ILLEGAL_STATE,
          p,
          move,
          "it is recorded as scrapped by " + p.scrap().by().user() + " and awaits a witness");
    }
  }

  private static TransitionRefused illegal(Part p, String move, String why) {
    return new TransitionRefused(Reason.ILLEGAL_STATE, p, move, why);
  }
}
