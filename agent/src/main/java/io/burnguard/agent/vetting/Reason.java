package io.burnguard.agent.vetting;

/**
 * Why a release was refused. One code per check of docs/architecture.md "Release format on the
 * designated server", each with the sentence that tells an engineer what to do about it.
 */
public enum Reason {
  /** A manifest, signature or withdrawal document exceeds its size limit. */
  DOCUMENT_TOO_LARGE("The server is serving something other than a release; check its content"),
  /** The signature file is not a well-formed DER CMS SignedData. */
  CMS_MALFORMED(
      "Re-create the signature with 'burnguard release sign' or"
          + " 'openssl cms -sign -binary -outform DER'"),
  /** The CMS is well-formed but not the shape we accept (attached content, no signed attrs). */
  CMS_UNSUPPORTED(
      "Sign detached (no -nodetach) with signed attributes (no -noattr), content type id-data"),
  /** A digest, signature or key algorithm is not on the allow-list. */
  WEAK_ALGORITHM(
      "Re-sign with RSA >= 2048 (PKCS#1 v1.5 or PSS), ECDSA P-256/P-384 or Ed25519 and SHA-256"
          + " or stronger"),
  /** A SignerInfo's signature does not verify. */
  BAD_SIGNATURE("Do not use this release; re-download it or ask the release team to re-sign it"),
  /** The signed messageDigest does not match the manifest bytes: the manifest was changed. */
  MANIFEST_DIGEST_MISMATCH(
      "The manifest was altered after signing; do not use it, re-download the release"),
  /** A signer certificate does not chain to the pinned release root. */
  UNTRUSTED_CHAIN(
      "Check that the release was signed under this station's release root, and that the"
          + " intermediate certificates are included in the signature"),
  /** The chain is linked but invalid (basic constraints, critical extensions, path length). */
  CHAIN_INVALID("Ask the PKI team to re-issue the signing certificate under a valid CA"),
  /** The signer certificate lacks keyUsage digitalSignature. */
  KEY_USAGE_MISSING("Issue the signing certificate with keyUsage digitalSignature"),
  /** The signer certificate lacks extendedKeyUsage codeSigning. */
  NOT_CODE_SIGNING("Issue the signing certificate with extendedKeyUsage codeSigning"),
  /** A certificate in the chain is expired at the station's time. */
  CERT_EXPIRED("Re-sign the release with a current certificate, or check the station's clock"),
  /** A certificate in the chain is not valid yet at the station's time. */
  CERT_NOT_YET_VALID("Check the station's clock (NTP), or wait until the certificate is valid"),
  /** No CRL from a certificate's issuer is available (fail closed). */
  CRL_MISSING("Fetch the current CRL of the release CA and configure it (crl/ on the server)"),
  /** Only expired (or not yet valid) CRLs are available for an issuer. */
  CRL_EXPIRED("Publish a fresh CRL from the release CA and fetch it again"),
  /** A CRL is not signed by the release root or by a CA that chains to it. */
  CRL_INVALID(
      "The server's crl/ file is not a CRL of this station's release root or its CA; check what"
          + " the server publishes"),
  /** A CRL is older than the one this station already holds: a rollback. */
  CRL_ROLLBACK("The server served an older CRL than this station holds; report it to security"),
  /** A certificate in the chain is listed as revoked. */
  REVOKED("The signing key was revoked: do not use this release; ask for a re-signed release"),
  /** A signer's name is not on the station's allow-list. */
  SIGNER_NOT_ALLOWED("Add the signer to the station's allowed signers, if it is legitimate"),
  /** Fewer distinct signer keys than the station's threshold. */
  THRESHOLD_NOT_MET("Have more release signers (distinct keys) sign the manifest"),
  /** The manifest is not valid JSON of the release schema. */
  MANIFEST_INVALID("Re-create the manifest with 'burnguard release sign'"),
  /**
   * The signed manifest the server answered with names another release than the one asked for (a
   * misconfigured or hostile server substituting a genuine, differently named or versioned
   * release).
   */
  RELEASE_MISMATCH(
      "The designated server answered with another release's manifest; check the name and"
          + " version asked for and the server's releases/NAME/VERSION/ layout, and report a"
          + " server that does this to the release team"),
  /** The station's model is not among the release's models. */
  MODEL_NOT_LISTED("This release is not for this station's product; pick the right release"),
  /** The version is below the highest seen for this release name. */
  DOWNGRADE(
      "Use the newest release, or have the release team publish one with allowDowngrade=true"),
  /** The release is on the withdrawal list. */
  WITHDRAWN("This release was withdrawn (recall); use a release that is not withdrawn"),
  /** The withdrawal list is malformed. */
  WITHDRAWALS_INVALID("Ask the release team to re-publish withdrawals.json and its signature"),
  /** The withdrawal list has expired: a freeze attack or a stale server. */
  WITHDRAWALS_EXPIRED(
      "Fetch a fresh withdrawal list from the designated server; ask the release team to"
          + " re-publish it if the server's copy is stale"),
  /** The withdrawal list's sequence is lower than one already seen: a rollback. */
  WITHDRAWALS_ROLLBACK(
      "The server served an older withdrawal list than this station has seen; report it to"
          + " security"),
  /** No verified withdrawal list is available. */
  WITHDRAWALS_MISSING("Fetch the withdrawal list from the designated server"),
  /** The image's length differs from the manifest's. */
  IMAGE_LENGTH_MISMATCH("The image is truncated or replaced; download it again"),
  /** The image's SHA-256 differs from the manifest's. */
  IMAGE_DIGEST_MISMATCH("The image was altered or corrupted; do not use it, download it again");

  private final String advice;

  Reason(String advice) {
    this.advice = advice;
  }

  /** What an engineer should do about this refusal. */
  public String advice() {
    return advice + ".";
  }
}
