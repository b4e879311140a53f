package io.burnguard.agent.scan;

/**
 * What identifies the signatures a verdict was made with, and so the key a verdict is stored and
 * reused under (docs/decisions.md, "Verdict reuse with local signature databases").
 *
 * <p>clamd's VERSION names the engine and, for freshclam's dated databases, the database version.
 * An undated local database (loose {@code .ndb}/{@code .hdb} files) reports version 0 whatever its
 * content, so VERSION alone cannot tell an unchanged database from a changed one. When the station
 * names clamd's database directory ({@code scanner.databaseDir}), the digest of that directory's
 * listing ({@link SignatureFiles}) completes the key; without it an undated database's verdicts are
 * never reused.
 *
 * @param clamd clamd's VERSION reply when the scan started
 * @param filesDigest digest of the database directory's files, or null when unknown or unsettled
 */
record SignatureKey(ClamdVersion clamd, String filesDigest) {
  /** Characters of the files digest kept in the key (64 bits: equality, not secrecy). */
  static final int DIGEST_CHARS = 16;

  SignatureKey {
    if (clamd == null) {
      throw new IllegalArgumentException("a signature key needs clamd's VERSION");
    }
    if (filesDigest != null && filesDigest.length() < DIGEST_CHARS) {
      throw new IllegalArgumentException("files digest too short: " + filesDigest);
    }
  }

  /**
   * The engine part of the key, stored in the verdict's {@code clamd_version}: the engine version,
   * followed by {@code +files:} and the first {@value #DIGEST_CHARS} hex digits of the database
   * files' digest when it is known.
   */
  String engineKey() {
    return filesDigest == null
        ? clamd.engine()
        : clamd.engine() + "+files:" + filesDigest.substring(0, DIGEST_CHARS);
  }

  /**
   * Whether a verdict under this key may stand for a later scan: a dated database identifies
   * itself; an undated one only through its files.
   */
  boolean reusable() {
    return clamd.dated() || filesDigest != null;
  }
}
