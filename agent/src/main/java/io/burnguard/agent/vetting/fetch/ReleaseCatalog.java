package io.burnguard.agent.vetting.fetch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burnguard.agent.db.Database;
import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.vetting.SignerIdentity;
import io.burnguard.agent.vetting.VerifiedRelease;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetched releases in the station database (V3__vetting.sql): the exact signed manifest and
 * signature bytes (so a burn can re-verify them), the signer identities for the ledger and {@code
 * trace}, and the latest verified withdrawal list. Backs {@code firmware list}.
 */
public final class ReleaseCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Database db;

  /** A catalog over {@code db}. */
  public ReleaseCatalog(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * One fetched release.
   *
   * @param signersJson JSON array of {name, subject, serial, keySha256}
   */
  public record Entry(
      String name,
      String version,
      String sha256,
      long length,
      byte[] manifest,
      byte[] signature,
      String signersJson,
      Instant fetchedAt) {
    /** Copies the arrays. */
    public Entry {
      manifest = manifest.clone();
      signature = signature.clone();
    }

    @Override
    public byte[] manifest() {
      return manifest.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  /** Records (or replaces) a fetched release. */
  public void record(VerifiedRelease r, byte[] signature, Instant at) throws DatabaseException {
    String signers = signersJson(r.signers());
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO vetting_release(name, version, sha256, length, manifest,"
                      + " signature, signers, fetched_at) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, r.manifest().name());
            ps.setString(2, r.manifest().version());
            ps.setString(3, r.manifest().sha256());
            ps.setLong(4, r.manifest().length());
            ps.setBytes(5, r.manifestBytes());
            ps.setBytes(6, signature);
            ps.setString(7, signers);
            ps.setString(8, at.toString());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** All fetched releases, by name then fetch time. */
  public List<Entry> list() throws DatabaseException {
    return db.read(
        c -> {
          List<Entry> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT * FROM vetting_release ORDER BY name, fetched_at");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(entry(rs));
            }
          }
          return out;
        });
  }

  /** The fetched release {@code name} {@code version}, if any. */
  public Optional<Entry> find(String name, String version) throws DatabaseException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM vetting_release WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(entry(rs)) : Optional.<Entry>empty();
            }
          }
        });
  }

  /** Keeps the latest verified withdrawal list's exact bytes for burn-time re-verification. */
  public void recordWithdrawals(long sequence, byte[] document, byte[] signature, Instant at)
      throws DatabaseException {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO vetting_withdrawals_doc(id, sequence, document,"
                      + " signature, fetched_at) VALUES (1,?,?,?,?)")) {
            ps.setLong(1, sequence);
            ps.setBytes(2, document);
            ps.setBytes(3, signature);
            ps.setString(4, at.toString());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The latest withdrawal list as {document, signature}, if any. */
  public Optional<byte[][]> latestWithdrawals() throws DatabaseException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT document, signature FROM vetting_withdrawals_doc WHERE id = 1");
              ResultSet rs = ps.executeQuery()) {
            return rs.next()
                ? Optional.of(new byte[][] {rs.getBytes(1), rs.getBytes(2)})
                : Optional.<byte[][]>empty();
          }
        });
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(
        rs.getString("name"),
        rs.getString("version"),
        rs.getString("sha256"),
        rs.getLong("length"),
        rs.getBytes("manifest"),
        rs.getBytes("signature"),
        rs.getString("signers"),
        Instant.parse(rs.getString("fetched_at")));
  }

  private static String signersJson(List<SignerIdentity> signers) {
    var arr = JSON.createArrayNode();
    for (SignerIdentity s : signers) {
      arr.addObject()
          .put("name", s.commonName())
          .put("subject", s.subject())
          .put("serial", s.serialHex())
          .put("keySha256", s.keySha256());
    }
    try {
      return JSON.writeValueAsString(arr);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize signers", e);
    }
  }
}
