package io.burnguard.agent.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The station's Ed25519 audit key (RFC 8032).
 *
 * <p>Design: the private key lives in {@value #PRIVATE_FILE} in the data directory, mode 0600,
 * created at first start; the public key beside it in {@value #PUBLIC_FILE} (printed by {@code
 * doctor} so it can be registered centrally and passed to {@code audit verify --key}). Both are PEM
 * (PKCS#8 and SubjectPublicKeyInfo, RFC 8410) so {@code openssl pkey} reads them. A private key
 * file readable by group or others is refused, like ssh does, because whoever reads it can forge
 * the whole chain. Signing uses Bouncy Castle's RFC 8032 code, about 8x faster than the JDK's SunEC
 * Ed25519 on the same machine, which matters for {@code audit verify --all}.
 */
public final class StationKey {
  /** File name of the private key in the data directory. */
  public static final String PRIVATE_FILE = "audit-ed25519.key";

  /** File name of the public key in the data directory. */
  public static final String PUBLIC_FILE = "audit-ed25519.pub";

  // RFC 8410 section 7: the fixed DER prefixes of an Ed25519 PKCS#8 and SPKI structure.
  private static final byte[] PKCS8_PREFIX = HexPrefix.of("302e020100300506032b657004220420");
  private static final byte[] SPKI_PREFIX = HexPrefix.of("302a300506032b6570032100");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] privateKey;
  private final byte[] publicKey;

  private StationKey(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  /**
   * Loads the key from {@code dataDir}, creating it (0600) when absent.
   *
   * @throws IOException when the file cannot be read or written, is not an Ed25519 key, or is
   *     readable by group or others
   */
  public static StationKey loadOrCreate(Path dataDir) throws IOException {
    Path priv = dataDir.resolve(PRIVATE_FILE);
    if (!Files.exists(priv)) {
      create(dataDir, priv);
    }
    checkMode(priv);
    byte[] der = Pem.decode(Files.readString(priv, StandardCharsets.US_ASCII), "PRIVATE KEY", priv);
    if (der.length != PKCS8_PREFIX.length + 32
        || !Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
      throw new IOException(
          priv
              + " is not an Ed25519 private key (PKCS#8, RFC 8410); move it away and restart"
              + " to create a new key, then register the new public key centrally");
    }
    StationKey key = new StationKey(Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length));
    Path pub = dataDir.resolve(PUBLIC_FILE);
    if (!Files.exists(pub)) {
      Files.writeString(pub, key.publicKeyPem(), StandardCharsets.US_ASCII);
    }
    return key;
  }

  /** Reads a public key PEM file (as written to {@value #PUBLIC_FILE}); returns the raw key. */
  public static byte[] readPublicKey(Path file) throws IOException {
    byte[] der = Pem.decode(Files.readString(file, StandardCharsets.US_ASCII), "PUBLIC KEY", file);
    if (der.length != SPKI_PREFIX.length + 32
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IOException(file + " is not an Ed25519 public key (SubjectPublicKeyInfo PEM)");
    }
    return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
  }

  /**
   * Signs a message. The public key is passed in: the overload without it derives it again from the
   * private key on every call, a second scalar multiplication that doubled the cost of each chain
   * entry (same signature either way: Ed25519 is deterministic, RFC 8032 section 5.1.6).
   */
  public byte[] sign(byte[] message) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /** Verifies an Ed25519 signature under a raw 32-byte public key. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE
        || signature == null
        || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  /** The raw 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key as SubjectPublicKeyInfo PEM. */
  public String publicKeyPem() {
    return Pem.encode(concat(SPKI_PREFIX, publicKey), "PUBLIC KEY");
  }

  private static void create(Path dataDir, Path priv) throws IOException {
    Files.createDirectories(dataDir);
    byte[] raw = new byte[Ed25519.SECRET_KEY_SIZE];
    RANDOM.nextBytes(raw);
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
    Path tmp =
        Files.createTempFile(
            dataDir, ".audit-key", ".tmp", PosixFilePermissions.asFileAttribute(owner));
    try {
      Files.writeString(
          tmp, Pem.encode(concat(PKCS8_PREFIX, raw), "PRIVATE KEY"), StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(tmp, owner);
      try {
        // No REPLACE_EXISTING: two daemons starting at once must not each keep a different key.
        Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        // the other one won; use its key
      }
    } finally {
      Files.deleteIfExists(tmp);
      Arrays.fill(raw, (byte) 0);
    }
    StationKey key = loadOrCreate(dataDir);
    Files.writeString(dataDir.resolve(PUBLIC_FILE), key.publicKeyPem(), StandardCharsets.US_ASCII);
  }

  private static void checkMode(Path priv) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(priv);
    for (PosixFilePermission p : mode) {
      if (!p.name().startsWith("OWNER_")) {
        throw new IOException(
            "the audit key "
                + priv
                + " has mode "
                + PosixFilePermissions.toString(mode)
                + " but must be readable by its owner only; run: chmod 600 "
                + priv
                + " (and consider the key exposed: rotate it and register the new public key)");
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Minimal PEM (RFC 7468) for the two fixed-size key structures above. */
  static final class Pem {
    private Pem() {}

    static String encode(byte[] der, String label) {
      return "-----BEGIN "
          + label
          + "-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END "
          + label
          + "-----\n";
    }

    static byte[] decode(String text, String label, Path where) throws IOException {
      String begin = "-----BEGIN " + label + "-----";
      String end = "-----END " + label + "-----";
      int b = text.indexOf(begin);
      int e = text.indexOf(end);
      if (b < 0 || e < b) {
        throw new IOException(where + " is not a PEM file with a " + label + " block");
      }
      try {
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
      } catch (IllegalArgumentException x) {
        throw new IOException(where + " has a damaged " + label + " block: " + x.getMessage(), x);
      }
    }
  }

  private static final class HexPrefix {
    private HexPrefix() {}

    static byte[] of(String hex) {
      return java.util.HexFormat.of().parseHex(hex);
    }
  }
}
