package io.burnguard.agent.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The signed head of the audit chain: the last sequence and its entry hash, signed by the station
 * key. A chain alone cannot show that its tail was cut off; a head kept outside the database (the
 * head file beside it, or a copy exported to syslog or a central server) can.
 *
 * @param sequence the last entry's sequence (0 for an empty chain)
 * @param hash the last entry's hash, hex (64 zeros for an empty chain)
 * @param at when the head was signed
 * @param publicKey the signer's raw Ed25519 public key, hex (informational: verification uses the
 *     key the verifier trusts, never this field)
 * @param signature Ed25519 over the head message ({@code EntryCodec#headMessage}), hex
 */
public record AuditHead(long sequence, String hash, String at, String publicKey, String signature) {
  static final String TYPE = "burnguard-audit-head";
  private static final ObjectMapper JSON = new ObjectMapper();

  public AuditHead {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(signature, "signature");
  }

  static AuditHead sign(StationKey key, long sequence, String hash, String at) {
    byte[] sig = key.sign(EntryCodec.headMessage(sequence, EntryCodec.HEX.parseHex(hash), at));
    return new AuditHead(
        sequence,
        hash,
        at,
        EntryCodec.HEX.formatHex(key.publicKey()),
        EntryCodec.HEX.formatHex(sig));
  }

  /** Whether the signature is valid under the given raw public key. */
  public boolean signatureValid(byte[] trustedPublicKey) {
    byte[] h = EntryCodec.hash32(hash);
    if (h == null || !signature.matches("[0-9a-f]{128}")) {
      return false;
    }
    return StationKey.verify(
        trustedPublicKey,
        EntryCodec.headMessage(sequence, h, at),
        EntryCodec.HEX.parseHex(signature));
  }

  /** The head as one line of JSON, the form of the head file and of {@code audit head}. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("sequence", sequence);
    m.put("hash", hash);
    m.put("at", at);
    m.put("publicKey", publicKey);
    m.put("signature", signature);
    return Canonical.json(m);
  }

  /** Reads a head file or an exported head. */
  public static AuditHead read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read the audit head " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses a head's JSON; {@code source} names where it came from in messages. */
  public static AuditHead parse(String json, String source) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IOException("cannot read the audit head " + source + ": " + e.getMessage(), e);
    }
    String file = source;
    if (n == null
        || !TYPE.equals(n.path("type").asText())
        || !n.path("sequence").canConvertToLong()) {
      throw new IOException(
          file + " is not an audit head (expected JSON with \"type\":\"" + TYPE + "\")");
    }
    return new AuditHead(
        n.path("sequence").asLong(),
        n.path("hash").asText(""),
        n.path("at").asText(""),
        n.path("publicKey").asText(""),
        n.path("signature").asText(""));
  }

  /**
   * Replaces {@code file} atomically: a reader sees the old head or the new one, never half of
   * either, and after a power cut the file holds one of them (write, fsync, rename, fsync dir).
   */
  void writeAtomically(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".audit-head", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(StandardCharsets.UTF_8.encode(toJson() + "\n"));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems refuse fsync on a directory; the rename is still atomic there.
    }
  }
}
