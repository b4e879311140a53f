package io.burnguard.agent.vetting.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The station's TLS policy for the designated server: TLS 1.3 or 1.2 only, trusting only the
 * configured CA (with the JDK's hostname check) or only the pinned server key. The JDK's default
 * trust store is never consulted, so a public CA cannot vouch for a look-alike server.
 */
final class Tls {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private Tls() {}

  static SSLSocketFactory socketFactory(ServerConfig cfg) throws GeneralSecurityException {
    TrustManager tm;
    if (cfg.ca().isPresent()) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException("cannot create an in-memory trust store", e);
      }
      ks.setCertificateEntry("designated-server-ca", cfg.ca().get());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      tm = tmf.getTrustManagers()[0];
    } else {
      tm = new PinTrustManager(cfg.spkiSha256().orElseThrow());
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {tm}, null);
    return new ProtocolLimitingFactory(ctx.getSocketFactory());
  }

  static String spkiSha256(X509Certificate cert) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Accepts exactly the server key whose SPKI SHA-256 is pinned (RFC 7469 style). */
  static final class PinTrustManager extends X509ExtendedTrustManager {
    private final String pin;

    PinTrustManager(String pin) {
      this.pin = pin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      String found = spkiSha256(chain[0]);
      if (!MessageDigest.isEqual(
          found.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        throw new CertificateException(
            "the server key's SPKI SHA-256 is " + found + "; the pin is " + pin);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the station is a TLS client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the station is a TLS client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the station is a TLS client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** Enables only TLS 1.3 and 1.2 on every socket it creates. */
  static final class ProtocolLimitingFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;

    ProtocolLimitingFactory(SSLSocketFactory delegate) {
      this.delegate = delegate;
    }

    private static Socket limit(Socket s) {
      if (s instanceof SSLSocket) {
        ((SSLSocket) s).setEnabledProtocols(PROTOCOLS);
      }
      return s;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return limit(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return limit(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return limit(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return limit(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return limit(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return limit(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}
