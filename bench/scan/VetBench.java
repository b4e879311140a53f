import io.burnguard.agent.db.Database;
import io.burnguard.agent.scan.ClamdAddress;
import io.burnguard.agent.scan.ClamdClient;
import io.burnguard.agent.scan.ClamdSettings;
import io.burnguard.agent.scan.ImageScan;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.Quarantine;
import io.burnguard.agent.scan.ScanAlerts;
import io.burnguard.agent.scan.ScanPolicy;
import io.burnguard.agent.scan.ScanVerdict;
import io.burnguard.agent.vetting.TestPkiAccess;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.cache.ImageCache;
import io.burnguard.agent.vetting.fetch.ReleaseCatalog;
import io.burnguard.agent.vetting.fetch.ReleaseFetcher;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * BurnGuard's single-pass vetting of release "big 1.0" served over local HTTPS, two ways per round:
 *
 * <ul>
 *   <li><b>fetcher</b>: the daemon's real path, {@code ReleaseFetcher.fetch}: CRLs, withdrawal list,
 *       manifest + CMS verification, then one read of the image feeding the 0600 part file, SHA-256
 *       and clamd INSTREAM, clamd's verdict recorded, then the part file encrypted (AES-256-GCM)
 *       into the image cache while length and SHA-256 are re-checked.
 *   <li><b>stage</b>: the scanning stage alone, as the issue's benchmark defines it: HTTPS GET of the
 *       image through {@code ImageScan.tee} (SHA-256 + INSTREAM) into a plain file, like curl -o.
 * </ul>
 *
 * Run by run.sh (classpath: agent's runtime jars and test classes, for the test PKI):
 *
 * <pre>java -cp 'agent/target/burnguard/lib/*:agent/target/test-classes' bench/scan/VetBench.java \
 *     BASE_URL WWW CERT.pem clamd-address WORKDIR ROUNDS</pre>
 *
 * It first publishes WWW/releases/big/1.0/big.bin as a signed release (manifest, signature, CRLs,
 * withdrawal list). With ROUNDS > 0 it runs one warm-up and ROUNDS measured rounds; with ROUNDS = 0
 * one round per line read from standard input (run.sh interleaves it with the sequential peer so
 * both see the same machine load). Prints one line of key=seconds per measured round.
 */
public class VetBench {
  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    Path www = Path.of(args[1]);
    Path cert = Path.of(args[2]);
    ClamdAddress clamd = ClamdAddress.parse(args[3]);
    Path work = Path.of(args[4]);
    int rounds = Integer.parseInt(args[5]);
    TestPkiAccess pki = new TestPkiAccess();
    pki.publish(www, www.resolve("releases/big/1.0/big.bin"));
    X509Certificate ca = readCert(cert);
    try (Database db = Database.open(work.resolve("station.db"))) {
      ImageScanner scanner =
          new ImageScanner(
              new ClamdClient(ClamdSettings.of(clamd)),
              db,
              new ScanPolicy(Duration.ofDays(3650), true),
              Clock.systemUTC(),
              ScanAlerts.none(),
              Quarantine.none());
      ReleaseFetcher fetcher =
          new ReleaseFetcher(
              new DesignatedServerClient(ServerConfig.withCa(base, ca)),
              pki.policyOne(),
              List.of("root.crl", "ca1.crl"),
              VersionStore.inMemory(),
              ImageCache.open(work.resolve("cache"), work.resolve("cache.key"), Clock.systemUTC()),
              work.resolve("downloads"),
              new ReleaseCatalog(db),
              scanner);
      SSLContext tls = trusting(ca);
      URI image = base.resolve("releases/big/1.0/big.bin");
      BufferedReader commands =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (int i = 0; rounds > 0 ? i <= rounds : commands.readLine() != null; i++) {
        String fetched = viaFetcher(fetcher);
        String stage = viaStage(tls, image, scanner, work.resolve("stage.bin"));
        if (i > 0 || rounds == 0) {
          System.out.println(fetched + " " + stage);
          System.out.flush();
        }
      }
    }
  }

  /** The daemon's path; "pass" ends when the last image byte is on disk, hashed and streamed. */
  static String viaFetcher(ReleaseFetcher fetcher) throws Exception {
    long[] lastByte = {0};
    long t0 = System.nanoTime();
    ReleaseFetcher.Fetched f =
        fetcher.fetch(
            "big",
            "1.0",
            (done, total) -> {
              if (done == total) {
                lastByte[0] = System.nanoTime();
              }
            });
    long t1 = System.nanoTime();
    if (!f.scan().clean()) {
      throw new IllegalStateException("benchmark image not clean: " + f.scan());
    }
    return String.format(
        Locale.ROOT,
        "fetcher_seconds=%.3f fetcher_pass=%.3f fetcher_after=%.3f",
        (t1 - t0) / 1e9,
        (lastByte[0] - t0) / 1e9,
        (t1 - lastByte[0]) / 1e9);
  }

  /** The scanning stage alone, into a plain file. */
  static String viaStage(SSLContext tls, URI url, ImageScanner scanner, Path out)
      throws Exception {
    long t0 = System.nanoTime();
    HttpsURLConnection c = (HttpsURLConnection) url.toURL().openConnection();
    c.setSSLSocketFactory(tls.getSocketFactory());
    if (c.getResponseCode() != 200) {
      throw new IllegalStateException("HTTP " + c.getResponseCode() + " for " + url);
    }
    long pass;
    ScanVerdict v;
    try (ImageScan scan = scanner.begin("bench image");
        InputStream in = scan.tee(c.getInputStream());
        OutputStream file = Files.newOutputStream(out)) {
      in.transferTo(file);
      pass = System.nanoTime();
      v = scan.finish(null);
    }
    long t1 = System.nanoTime();
    if (!v.clean()) {
      throw new IllegalStateException("benchmark image not clean: " + v);
    }
    return String.format(
        Locale.ROOT,
        "stage_seconds=%.3f stage_pass=%.3f verdict_wait=%.3f",
        (t1 - t0) / 1e9,
        (pass - t0) / 1e9,
        (t1 - pass) / 1e9);
  }

  static X509Certificate readCert(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  static SSLContext trusting(X509Certificate cert) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("bench", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
