package io.burnguard.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import io.burnguard.agent.vetting.ReleaseSigner;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.server.TestHttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;

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

  private final Path dir;
  private final Path www;
  private final TestCerts.Issued root;
  private final TestCerts.Issued ca;
  private final List<ReleaseSigner.SigningKey> signers = new ArrayList<>();
  private final List<X509Certificate> revoked = new ArrayList<>();
  private final TestHttpsServer server;
  private long withdrawalSequence;

  public ReleaseKit(Path dir) throws Exception {
    this.dir = dir;
    this.www = dir.resolve("www");
    Files.createDirectories(www.resolve("crl"));
    Files.createDirectories(dir.resolve("crl"));
    root =
        TestCerts.certificate("CN=BurnGuard Demo Release Root", TestCerts.ec()).ca().selfSigned();
    ca = TestCerts.certificate("CN=BurnGuard Demo Signing CA", TestCerts.ec()).ca().signedBy(root);
    for (String cn : SIGNERS) {
      TestCerts.Issued signer =
          TestCerts.certificate("CN=" + cn, TestCerts.ec())
              .extendedKeyUsage(KeyPurposeId.id_kp_codeSigning)
              .signedBy(ca);
      List<X509Certificate> chain = List.of(signer.cert(), ca.cert());
      signers.add(new ReleaseSigner.SigningKey(signer.keys().getPrivate(), chain));
      TestCerts.writeP12(
          dir.resolve(p12Name(cn)), signer.keys().getPrivate(), P12_PASSWORD.toCharArray(), chain);
    }
    TestCerts.writePem(dir.resolve("release-root.pem"), root.cert());
    writeCrls();
    server = new TestHttpsServer();
    server.handle("/base/", this::serve);
    TestCerts.writePem(dir.resolve("server-ca.pem"), server.ca);
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

  /** Lifts every revocation (new CRLs on the server and in the station's copies). */
  public void reinstateSigners() throws Exception {
    revoked.clear();
    writeCrls();
  }

  private void writeCrls() throws Exception {
    Instant now = Instant.now();
    Instant thisUpdate = now.minus(Duration.ofHours(1));
    Instant nextUpdate = now.plus(Duration.ofDays(7));
    Instant revokedAt = now.minus(Duration.ofMinutes(5));
    X509CRL rootCrl = TestCerts.crl(root, thisUpdate, nextUpdate, List.of(), revokedAt);
    X509CRL caCrl = TestCerts.crl(ca, thisUpdate, nextUpdate, revoked, revokedAt);
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

  @Override
  public void close() {
    server.close();
  }
}
