package io.burnguard.agent.doctor;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Trust files for a test station, made now around the real clock: a release root ({@code
 * release-root.pem}), a server CA ({@code server-ca.pem}) and the root's CRL ({@code crl/root.crl},
 * DER), with the paths {@code DaemonHarness} writes into station.yaml. Validity periods can be
 * chosen, so expired and not-yet-valid material can be made too. Shared through agent's test-jar.
 */
public final class StationTrust {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final String ROOT_DN = "CN=BurnGuard Test Release Root";

  private final Path dir;
  private final KeyPair rootKeys;

  private StationTrust(Path dir) throws Exception {
    this.dir = dir;
    this.rootKeys = ec();
  }

  /** Writes a healthy set (valid a day ago to a year on; CRL next update in 7 days) into dir. */
  public static StationTrust write(Path dir) throws IOException {
    try {
      StationTrust t = new StationTrust(dir);
      Instant now = Instant.now();
      t.writeRoot(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
      t.writeServerCa(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
      Files.createDirectories(dir.resolve("crl"));
      t.writeRootCrl(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
      return t;
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot make the test station's trust files: " + e, e);
    }
  }

  public Path releaseRoot() {
    return dir.resolve("release-root.pem");
  }

  public Path serverCa() {
    return dir.resolve("server-ca.pem");
  }

  public Path crlDir() {
    return dir.resolve("crl");
  }

  /** Writes the release root with this validity (same key, so CRLs stay verifiable). */
  public void writeRoot(Instant notBefore, Instant notAfter) throws Exception {
    pem(releaseRoot(), ca(ROOT_DN, rootKeys, notBefore, notAfter));
  }

  /** Writes a fresh server CA with this validity. */
  public void writeServerCa(Instant notBefore, Instant notAfter) throws Exception {
    pem(serverCa(), ca("CN=BurnGuard Test Server CA", ec(), notBefore, notAfter));
  }

  /** Writes {@code crl/root.crl}, issued by the release root, with these update times. */
  public void writeRootCrl(Instant thisUpdate, Instant nextUpdate) throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(ROOT_DN), Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    byte[] der =
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKeys.getPrivate()))
            .getEncoded();
    Files.write(crlDir().resolve("root.crl"), der);
  }

  private static X509Certificate ca(String dn, KeyPair keys, Instant notBefore, Instant notAfter)
      throws Exception {
    var b =
        new JcaX509v3CertificateBuilder(
            new X500Name(dn),
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name(dn),
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static void pem(Path file, Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    Files.writeString(file, w.toString(), StandardCharsets.US_ASCII);
  }
}
