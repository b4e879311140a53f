package io.burnguard.agent.parts;

/**
 * NIST SP 800-88 Destroy techniques accepted for a key part. Degaussing is not among them: Rev. 2
 * no longer approves it as a Destroy method, and it does nothing to flash media anyway.
 */
public enum ScrapMethod {
  SHRED,
  DISINTEGRATE,
  CRUSH,
  INCINERATE
}
