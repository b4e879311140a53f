package io.burnguard.agent.vetting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Locale;

/** Loads trust material (PEM or DER) from files, refusing anything ambiguous. */
public final class TrustFiles {
  private static final long MAX_BYTES = 1024 * 1024;

  private TrustFiles() {}

  /** The single X.509 certificate in {@code file}. */
  public static X509Certificate certificate(Path file) throws IOException {
    try (InputStream in = open(file)) {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (all.size() != 1) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s holds %d certificates; expected exactly the one release root",
                file,
                all.size()));
      }
      return (X509Certificate) all.iterator().next();
    } catch (CertificateException e) {
      throw new IOException(file + " is not a PEM or DER X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** The single CRL in {@code file}. */
  public static X509CRL crl(Path file) throws IOException {
    try (InputStream in = open(file)) {
      Collection<? extends CRL> all = CertificateFactory.getInstance("X.509").generateCRLs(in);
      if (all.size() != 1) {
        throw new IOException(
            String.format(Locale.ROOT, "%s holds %d CRLs; expected one", file, all.size()));
      }
      return (X509CRL) all.iterator().next();
    } catch (CRLException | CertificateException e) {
      throw new IOException(file + " is not a PEM or DER X.509 CRL: " + e.getMessage(), e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IOException(
          String.format(Locale.ROOT, "%s is %d bytes; the limit is %d", file, size, MAX_BYTES));
    }
    return Files.newInputStream(file);
  }
}
