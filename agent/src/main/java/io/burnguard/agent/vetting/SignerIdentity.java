package io.burnguard.agent.vetting;

import java.time.Instant;
import java.util.Objects;

/**
 * Who signed a verified document, as recorded in the ledger and shown by {@code trace}.
 *
 * @param commonName the signer certificate's subject CN (what the allow-list names)
 * @param subject the full subject DN (RFC 2253)
 * @param issuer the issuer DN (RFC 2253)
 * @param serialHex the certificate serial number in hex
 * @param keySha256 SHA-256 of the signer's SubjectPublicKeyInfo, hex: the identity the threshold
 *     counts, so one key under two certificates counts once
 * @param notAfter the end of the signer certificate's validity
 */
public record SignerIdentity(
    String commonName,
    String subject,
    String issuer,
    String serialHex,
    String keySha256,
    Instant notAfter) {

  /** Refuses missing values. */
  public SignerIdentity {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serialHex, "serialHex");
    Objects.requireNonNull(keySha256, "keySha256");
    Objects.requireNonNull(notAfter, "notAfter");
  }
}
