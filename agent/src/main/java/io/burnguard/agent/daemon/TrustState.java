package io.burnguard.agent.daemon;

import io.burnguard.agent.vetting.TrustFiles;
import io.burnguard.agent.vetting.TrustLoader;
import io.burnguard.agent.vetting.TrustMaterialException;
import io.burnguard.config.StationConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trust files a station.yaml names, checked for a reload: the release root and the CRLs in
 * {@code crlDir} must load as the firmware requests load them ({@link TrustLoader}), and the
 * server's CA must be a certificate. Their SHA-256 digests go into the reload's audit entry, so the
 * chain shows which trust material was in force from when.
 */
final class TrustState {
  /** A trust file that does not load; the message names the key, the file and the fix. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Map<String, String> digests;

  private TrustState(Map<String, String> digests) {
    this.digests = digests;
  }

  static TrustState load(StationConfig config, Clock clock) throws Unreadable {
    StationConfig.Trust t = config.trust();
    try {
      TrustLoader.station(t.releaseRoot(), t.crlDir(), t.threshold(), t.signers()).load(clock);
    } catch (TrustMaterialException e) {
      throw new Unreadable(e.getMessage(), e);
    }
    Path ca = config.server().caFile();
    if (ca != null) {
      try {
        TrustFiles.certificate(ca);
      } catch (IOException e) {
        throw new Unreadable(
            "server.caFile "
                + ca
                + " cannot be read as a certificate ("
                + e.getMessage()
                + "); install the PEM file there",
            e);
      }
    }
    Map<String, String> d = new TreeMap<>();
    try {
      d.put(t.releaseRoot().toString(), sha256(t.releaseRoot()));
      if (ca != null) {
        d.put(ca.toString(), sha256(ca));
      }
      if (Files.isDirectory(t.crlDir())) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(t.crlDir())) {
          for (Path f : files) {
            if (Files.isRegularFile(f)) {
              d.put(f.toString(), sha256(f));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new Unreadable("a trust file changed while it was read: " + e.getMessage(), e);
    }
    return new TrustState(d);
  }

  /** File name to SHA-256 (hex) of every trust file read. */
  Map<String, String> digests() {
    return digests;
  }

  /** The SHA-256 of the station.yaml that was loaded, or a note when it cannot be read now. */
  String configDigest(Path configFile) {
    try {
      return sha256(configFile);
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  private static String sha256(Path f) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(Files.readAllBytes(f)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
