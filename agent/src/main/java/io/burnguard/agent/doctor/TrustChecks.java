package io.burnguard.agent.doctor;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.vetting.TrustFiles;
import io.burnguard.config.StationConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The trust material a burn is verified against (docs/decisions.md, "Doctor"): the release root,
 * the designated server's CA file and the CRLs in {@code crlDir}. Each must be present, readable
 * and valid at the station's time, since burn-time verification fails closed on every one of them.
 */
final class TrustChecks {
  /** A certificate expiring sooner than this is a WARN: a new one must be installed soon. */
  static final Duration CERT_WARN = Duration.ofDays(30);

  /** A CRL whose next update is sooner than this is a WARN: publish and fetch a fresh one. */
  static final Duration CRL_WARN = Duration.ofDays(1);

  private TrustChecks() {}

  /** {@code trust.releaseRoot}: one CA certificate, valid now. */
  static Check releaseRoot(StationConfig.Trust t, Instant now) {
    String name = "release-root";
    Path f = t.releaseRoot();
    if (!Files.exists(f)) {
      return Check.fail(
          name,
          "trust.releaseRoot " + f + " does not exist; every release is refused without it",
          "install the release root certificate (PEM) there (docs/releasing.md)",
          ExitCode.USAGE);
    }
    X509Certificate root;
    try {
      root = TrustFiles.certificate(f);
    } catch (IOException e) {
      return Check.fail(
          name,
          "trust.releaseRoot: " + e.getMessage(),
          "replace " + f + " with the release root certificate (one PEM certificate)",
          ExitCode.USAGE);
    }
    if (root.getBasicConstraints() < 0) {
      return Check.fail(
          name,
          f + " holds " + subject(root) + ", which is not a CA certificate",
          "install the release root CA certificate, not a signer's certificate",
          ExitCode.USAGE);
    }
    return validity(name, f, root, now);
  }

  /** {@code server.caFile}, when the server is trusted through a CA rather than a pin. */
  static Check serverCa(StationConfig.DesignatedServer s, Instant now) {
    String name = "server-ca";
    Path f = s.caFile();
    if (f == null) {
      return Check.ok(name, "the designated server is pinned by server.spkiPin; no CA file used");
    }
    if (!Files.exists(f)) {
      return Check.fail(
          name,
          "server.caFile " + f + " does not exist; fetches from " + s.url() + " fail without it",
          "install the CA certificate that issued the designated server's certificate there",
          ExitCode.USAGE);
    }
    List<X509Certificate> certs;
    try (InputStream in = Files.newInputStream(f)) {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      certs = all.stream().map(c -> (X509Certificate) c).toList();
    } catch (IOException | CertificateException e) {
      return Check.fail(
          name,
          "server.caFile " + f + " cannot be read as certificates: " + e.getMessage(),
          "replace it with the server CA certificate (PEM)",
          ExitCode.USAGE);
    }
    if (certs.isEmpty()) {
      return Check.fail(
          name,
          "server.caFile " + f + " holds no certificate",
          "install the server CA certificate (PEM) there",
          ExitCode.USAGE);
    }
    Check worst = null;
    for (X509Certificate c : certs) {
      Check k = validity(name, f, c, now);
      if (worst == null || k.status().compareTo(worst.status()) > 0) {
        worst = k;
      }
    }
    return worst;
  }

  private static Check validity(String name, Path f, X509Certificate c, Instant now) {
    Instant from = c.getNotBefore().toInstant();
    Instant to = c.getNotAfter().toInstant();
    String what = f + ": " + subject(c) + ", valid " + from + " to " + to;
    if (now.isBefore(from)) {
      return Check.fail(
          name,
          what + "; not valid yet at the station's time " + now,
          "check the station's clock (NTP)",
          ExitCode.REFUSED);
    }
    if (!now.isBefore(to)) {
      return Check.fail(
          name, what + "; expired", "install the renewed certificate at " + f, ExitCode.REFUSED);
    }
    if (Duration.between(now, to).compareTo(CERT_WARN) < 0) {
      return Check.warn(
          name,
          what + "; expires in " + days(Duration.between(now, to)),
          "install the renewed certificate at " + f + " before it expires");
    }
    return Check.ok(name, what);
  }

  /**
   * {@code trust.crlDir}: present, holding readable CRLs, none expired, and one issued (and signed)
   * by the release root, since every chain needs its issuer's CRL (fail closed).
   *
   * @param root the release root, or null when it cannot be read (reported by its own check)
   */
  static Check crls(StationConfig.Trust t, X509Certificate root, Instant now) {
    Path dir = t.crlDir();
    if (!Files.isDirectory(dir)) {
      return Check.fail(
          CRLS,
          "trust.crlDir "
              + dir
              + (Files.exists(dir) ? " is not a directory" : " does not exist")
              + "; every burn is refused CRL_MISSING",
          "create it (owned by root, mode 0755) and " + FETCH_CRLS,
          ExitCode.USAGE);
    }
    CrlSurvey s = new CrlSurvey();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f)) {
          s.add(f, root, now);
        }
      }
    } catch (IOException e) {
      return Check.fail(
          CRLS,
          "cannot list trust.crlDir " + dir + ": " + e.getMessage(),
          FETCH_CRLS,
          ExitCode.USAGE);
    }
    return s.verdict(dir, root);
  }

  private static final String CRLS = "crls";

  private static final String FETCH_CRLS =
      "put the release CAs' current CRLs there (from <server>/crl/; docs/releasing.md)";

  /** What the CRL files in crlDir say, gathered file by file. */
  private static final class CrlSurvey {
    final List<String> seen = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> soon = new ArrayList<>();
    boolean fromRoot;

    void add(Path f, X509Certificate root, Instant now) {
      X509CRL crl;
      try {
        crl = TrustFiles.crl(f);
      } catch (IOException e) {
        problems.add(e.getMessage());
        return;
      }
      seen.add(crlLine(f, crl, now, problems, soon));
      if (root != null && crl.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
        fromRoot |= signedBy(crl, root, f, problems);
      }
    }

    Check verdict(Path dir, X509Certificate root) {
      if (seen.isEmpty() && problems.isEmpty()) {
        return Check.fail(
            CRLS,
            dir + " holds no CRL; every burn is refused CRL_MISSING",
            FETCH_CRLS,
            ExitCode.USAGE);
      }
      if (root != null && !fromRoot) {
        problems.add("none is issued by the release root " + subject(root));
      }
      String detail = dir + ": " + String.join("; ", seen);
      if (!problems.isEmpty()) {
        return Check.fail(
            CRLS, detail + "; " + String.join("; ", problems), FETCH_CRLS, ExitCode.REFUSED);
      }
      if (!soon.isEmpty()) {
        return Check.warn(
            CRLS,
            detail,
            "fetch fresh CRLs soon for " + String.join(", ", soon) + "; " + FETCH_CRLS);
      }
      return Check.ok(CRLS, detail);
    }
  }

  private static String crlLine(
      Path f, X509CRL crl, Instant now, List<String> problems, List<String> soon) {
    String file = f.getFileName().toString();
    Instant next = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (next == null) {
      problems.add(file + " has no nextUpdate, so its freshness cannot be judged");
      return file + " (no next update)";
    }
    if (now.isBefore(thisUpdate)) {
      problems.add(file + " is issued at " + thisUpdate + ", after the station's time " + now);
    } else if (!now.isBefore(next)) {
      problems.add(file + " expired at " + next + " (CRL_EXPIRED at every burn)");
    } else if (Duration.between(now, next).compareTo(CRL_WARN) < 0) {
      soon.add(file);
    }
    return String.format(
        Locale.ROOT,
        "%s (%s, %s old, next update %s)",
        file,
        crl.getIssuerX500Principal().getName(),
        days(Duration.between(thisUpdate, now)),
        next);
  }

  private static boolean signedBy(X509CRL crl, X509Certificate root, Path f, List<String> out) {
    try {
      crl.verify(root.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      out.add(
          f.getFileName() + " names the release root as issuer but its signature does not verify");
      return false;
    }
  }

  static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }

  static String days(Duration d) {
    if (d.isNegative()) {
      return "-" + days(d.negated());
    }
    if (d.toDays() >= 2) {
      return d.toDays() + " days";
    }
    if (d.toHours() >= 2) {
      return d.toHours() + " hours";
    }
    return d.toMinutes() + " minutes";
  }
}
