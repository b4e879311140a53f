package io.burnguard.agent.vetting.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.burnguard.agent.testing.TestCerts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A real HTTPS server on 127.0.0.1 (JDK {@code HttpsServer}) with a TLS PKI generated at test time:
 * a CA, a server certificate for IP 127.0.0.1, and a second, unrelated CA.
 */
public final class TestHttpsServer implements AutoCloseable {
  public final X509Certificate ca;
  final X509Certificate otherCa;
  final X509Certificate serverCert;
  private final HttpsServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  public TestHttpsServer() throws Exception {
    Instant now = Instant.now();
    Instant from = now.minus(Duration.ofDays(1));
    Instant to = now.plus(Duration.ofDays(30));
    TestCerts.Issued caIssued =
        TestCerts.certificate("CN=Test TLS CA", TestCerts.ec())
            .validity(from, to)
            .ca()
            .selfSigned();
    ca = caIssued.cert();
    otherCa =
        TestCerts.certificate("CN=Other TLS CA", TestCerts.ec())
            .validity(from, to)
            .ca()
            .selfSigned()
            .cert();
    TestCerts.Issued tls =
        TestCerts.certificate("CN=127.0.0.1", TestCerts.ec())
            .validity(from, to)
            .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
            .ipAddress("127.0.0.1")
            .signedBy(caIssued);
    serverCert = tls.cert();
    char[] pw = "test".toCharArray();
    KeyStore ks = TestCerts.pkcs12(tls.keys().getPrivate(), pw, List.of(serverCert, ca));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(ks, pw);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.setExecutor(pool);
    server.start();
  }

  public void handle(String path, HttpHandler h) {
    server.createContext(path, h);
  }

  public URI base() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/base/");
  }

  public static void send(HttpExchange x, int code, byte[] body) throws java.io.IOException {
    x.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      x.getResponseBody().write(body);
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
