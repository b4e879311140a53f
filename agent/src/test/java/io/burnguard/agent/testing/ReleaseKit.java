package io.burnguard.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import io.burnguard.agent.vetting.ReleaseSigner;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.server.TestHttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A release PKI and a designated server, made at test (or demo) time and valid around the real
 * clock: a release root, a signing intermediate, two signers ("Release Signer A" and "B", EC P-256,
 * codeSigning), CRLs for both CAs, and an HTTPS server on 127.0.0.1 serving {@code www/} with the
 * layout of docs/architecture.md. Releases are signed with the production {@link ReleaseSigner};
 * the signers' PKCS#12 files are on disk for {@code burnguard release sign}.
 *
 * <p>Files under {@code dir}: {@code release-root.pem}, {@code server-ca.pem}, {@code
 * signer-a.p12}, {@code signer-b.p12} (password {@link #P12_PASSWORD}), {@code crl/} (the station's
 * local copies) and {@code www/} (what the server serves).
 */
public final class ReleaseKit implements AutoCloseable {
  public static final String P12_PASSWORD = "burnguard-demo";
  public static final List<String> SIGNERS = List.of("Release Signer A", "Release Signer B");
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final Path www;
  private final KeyPair rootKeys;
  private final X509Certificate root;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final List<ReleaseSigner.SigningKey> signers = new ArrayList<>();
  private final List<X509Certificate> revoked = new ArrayList<>();
  private final TestHttpsServer server;
  private long withdrawalSequence;

  public ReleaseKit(Path dir) throws Exception {
    this.dir = dir;
    this.www = dir.resolve("www");
    Files.createDirectories(www.resolve("crl"));
    Files.createDirectories(dir.resolve("crl"));
    rootKeys = ec();
    root =
        cert(
            "CN=BurnGuard Demo Release Root",
            rootKeys,
            "CN=BurnGuard Demo Release Root",
            rootKeys,
            true,
            false);
    caKeys = ec();
    ca =
        cert(
            "CN=BurnGuard Demo Signing CA",
            caKeys,
            "CN=BurnGuard Demo Release Root",
            rootKeys,
            true,
            false);
    for (String cn : SIGNERS) {
      KeyPair k = ec();
      X509Certificate c = cert("CN=" + cn, k, "CN=BurnGuard Demo Signing CA", caKeys, false, true);
      signers.add(new ReleaseSigner.SigningKey(k.getPrivate(), List.of(c, ca)));
      writeP12(dir.resolve(p12Name(cn)), k, c, ca);
    }
    pem(dir.resolve("release-root.pem"), root);
    writeCrls();
    server = new TestHttpsServer();
    server.handle("/base/", this::serve);
    pem(dir.resolve("server-ca.pem"), server.ca);
    withdrawals(List.of());
  }

  /** The designated server's base URL. */
  public URI url() {
    return server.base();
  }

  public Path dir() {
    return dir;
  }

  public Path www() {
    return www;
  }

  /** The PKCS#12 file of signer {@code i} (0 = A, 1 = B). */
  public Path signerP12(int i) {
    return dir.resolve(p12Name(SIGNERS.get(i)));
  }

  /** The {@code server:} and {@code trust:} sections of station.yaml for this kit. */
  public String stationYaml(int threshold) {
    return "server:\n"
        + "  url: "
        + url()
        + "\n"
        + "  caFile: "
        + dir.resolve("server-ca.pem")
        + "\n"
        + "trust:\n"
        + "  releaseRoot: "
        + dir.resolve("release-root.pem")
        + "\n"
        + "  crlDir: "
        + dir.resolve("crl")
        + "\n"
        + "  threshold: "
        + threshold
        + "\n"
        + "  signers: [\""
        + String.join("\", \"", SIGNERS)
        + "\"]\n"
        + "  serverCrls: [root.crl, signing.crl]\n";
  }

  /** Publishes a release signed by both signers. */
  public void publish(String name, String version, List<String> models, byte[] image)
      throws Exception {
    Path relDir = www.resolve("releases").resolve(name).resolve(version);
    Files.createDirectories(relDir);
    Path file = relDir.resolve(name + "-" + version + ".bin");
    Files.write(file, image);
    var m = ReleaseSigner.manifestFor(file, name, version, models, Instant.now(), false);
    byte[] manifest = ReleaseSigner.manifestBytes(m);
    Files.write(relDir.resolve("manifest.json"), manifest);
    Files.write(relDir.resolve("manifest.json.p7s"), ReleaseSigner.sign(manifest, signers));
  }

  /** Replaces a published image's bytes without re-signing (a tampered server). */
  public void tamper(String name, String version) throws IOException {
    Path f =
        www.resolve("releases")
            .resolve(name)
            .resolve(version)
            .resolve(name + "-" + version + ".bin");
    byte[] b = Files.readAllBytes(f);
    b[b.length / 2] ^= 0x5a;
    Files.write(f, b);
  }

  /** Publishes a new signed withdrawal list (next sequence, expires in 7 days). */
  public void withdrawals(List<WithdrawalList.Entry> withdrawn) throws Exception {
    withdrawals(withdrawn, Duration.ofDays(7));
  }

  /** Publishes a new signed withdrawal list (next sequence) that expires {@code validFor} on. */
  public void withdrawals(List<WithdrawalList.Entry> withdrawn, Duration validFor)
      throws Exception {
    withdrawalSequence++;
    Instant now = Instant.now();
    WithdrawalList w =
        new WithdrawalList(withdrawalSequence, now.minusSeconds(60), now.plus(validFor), withdrawn);
    byte[] doc = ReleaseSigner.withdrawalBytes(w);
    Files.write(www.resolve("withdrawals.json"), doc);
    Files.write(www.resolve("withdrawals.json.p7s"), ReleaseSigner.sign(doc, signers));
  }

  /** Revokes signer {@code i} in the signing CA's CRL (server and station copies). */
  public void revokeSigner(int i) throws Exception {
    revoked.add(signers.get(i).chain().get(0));
    writeCrls();
  }

  private void writeCrls() throws Exception {
    Instant now = Instant.now();
    X509CRL rootCrl = crl(root, rootKeys, now, List.of());
    X509CRL caCrl = crl(ca, caKeys, now, revoked);
    for (Path d : List.of(www.resolve("crl"), dir.resolve("crl"))) {
      Files.write(d.resolve("root.crl"), rootCrl.getEncoded());
      Files.write(d.resolve("signing.crl"), caCrl.getEncoded());
    }
  }

  /** A static file server for {@code www/} under /base/, with Content-Length and Range. */
  private void serve(HttpExchange x) throws IOException {
    try (x) {
      String rel = x.getRequestURI().getPath().substring("/base/".length());
      Path f = www.resolve(rel).normalize();
      if (!f.startsWith(www) || !Files.isRegularFile(f) || !"GET".equals(x.getRequestMethod())) {
        TestHttpsServer.send(x, 404, new byte[0]);
        return;
      }
      long size = Files.size(f);
      long from = 0;
      String range = x.getRequestHeaders().getFirst("Range");
      if (range != null && range.matches("bytes=\\d+-")) {
        from = Long.parseLong(range.substring(6, range.length() - 1));
        x.getResponseHeaders()
            .add("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
        x.sendResponseHeaders(206, size - from);
      } else {
        x.sendResponseHeaders(200, size == 0 ? -1 : size);
      }
      try (InputStream in = Files.newInputStream(f);
          OutputStream out = x.getResponseBody()) {
        in.skipNBytes(from);
        in.transferTo(out);
      }
    }
  }

  private static String p12Name(String cn) {
    return "signer-" + cn.substring(cn.length() - 1).toLowerCase(java.util.Locale.ROOT) + ".p12";
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate cert(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      KeyPair issuerKeys,
      boolean isCa,
      boolean codeSigning)
      throws Exception {
    Instant now = Instant.now();
    var b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(365))),
            new X500Name(subject),
            subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    }
    if (codeSigning) {
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static X509CRL crl(
      X509Certificate issuer, KeyPair issuerKeys, Instant now, List<X509Certificate> revoked)
      throws Exception {
    X509v2CRLBuilder b =
        new X509v2CRLBuilder(
            new X500Name(issuer.getSubjectX500Principal().getName()),
            Date.from(now.minus(Duration.ofHours(1))));
    b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
    for (X509Certificate c : revoked) {
      b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(5))), 1);
    }
    return new JcaX509CRLConverter()
        .getCRL(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static void pem(Path file, Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    Files.writeString(file, w.toString(), StandardCharsets.US_ASCII);
  }

  private static void writeP12(Path file, KeyPair k, X509Certificate c, X509Certificate ca)
      throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("signer", k.getPrivate(), P12_PASSWORD.toCharArray(), new Certificate[] {c, ca});
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, P12_PASSWORD.toCharArray());
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
