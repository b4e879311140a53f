package io.burnguard.agent.parts;

/** NIST SP 800-88 sanitization methods this station applies (Destroy is {@link ScrapMethod}). */
public enum SanitizeMethod {
  /** Overwrite of every user-addressable location with a fixed pattern. */
  CLEAR,
  /** A device-level secure erase (BLKSECDISCARD), accepted only after a zero read-back. */
  PURGE
}
