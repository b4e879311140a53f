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
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * BurnGuard's single-pass vetting: HTTPS fetch + SHA-256 + clamd INSTREAM in one read, writing the
 * image to a cache file as curl -o does. Run by run.sh:
 *
 * <pre>java -cp 'agent/target/burnguard/lib/*' bench/scan/VetBench.java URL CERT.pem clamd-address OUT ROUNDS</pre>
 *
 * With ROUNDS > 0 it runs one warm-up and ROUNDS measured rounds; with ROUNDS = 0 it runs one
 * round per line read from standard input (run.sh interleaves it with the sequential peer so both
 * see the same machine load). Prints one "ours_seconds=..." line per measured round.
 */
public class VetBench {
  /** Seconds until the last byte was read (fetch + hash + stream), before clamd's verdict. */
  static double passSeconds;

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    Path cert = Path.of(args[1]);
    ClamdAddress clamd = ClamdAddress.parse(args[2]);
    Path out = Path.of(args[3]);
    int rounds = Integer.parseInt(args[4]);
    SSLContext tls = trusting(cert);
    Path dbFile = Files.createTempFile("vetbench", ".db");
    try (Database db = Database.open(dbFile)) {
      ImageScanner scanner =
          new ImageScanner(
              new ClamdClient(ClamdSettings.of(clamd)),
              db,
              new ScanPolicy(Duration.ofDays(3650), true),
              Clock.systemUTC(),
              ScanAlerts.none(),
              Quarantine.none());
      BufferedReader commands =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (int i = 0; rounds > 0 ? i <= rounds : commands.readLine() != null; i++) {
        long t0 = System.nanoTime();
        ScanVerdict v = vet(tls, url, scanner, out);
        double s = (System.nanoTime() - t0) / 1e9;
        if (!v.clean()) {
          throw new IllegalStateException("benchmark image not clean: " + v);
        }
        if (i > 0 || rounds == 0) {
          System.out.printf(
              Locale.ROOT,
              "ours_seconds=%.3f single_pass=%.3f verdict_wait=%.3f sha256=%s%n",
              s,
              passSeconds,
              s - passSeconds,
              v.imageSha256());
          System.out.flush();
        }
      }
    } finally {
      Files.deleteIfExists(dbFile);
      Files.deleteIfExists(Path.of(dbFile + "-wal"));
      Files.deleteIfExists(Path.of(dbFile + "-shm"));
    }
  }

  static ScanVerdict vet(SSLContext tls, URI url, ImageScanner scanner, Path out)
      throws Exception {
    long t0 = System.nanoTime();
    HttpsURLConnection c = (HttpsURLConnection) url.toURL().openConnection();
    c.setSSLSocketFactory(tls.getSocketFactory());
    if (c.getResponseCode() != 200) {
      throw new IllegalStateException("HTTP " + c.getResponseCode() + " for " + url);
    }
    try (ImageScan scan = scanner.begin("bench image");
        InputStream in = scan.tee(c.getInputStream());
        OutputStream cache = Files.newOutputStream(out)) {
      in.transferTo(cache);
      passSeconds = (System.nanoTime() - t0) / 1e9;
      return scan.finish(null);
    }
  }

  static SSLContext trusting(Path pem) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      ks.setCertificateEntry("bench", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
