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
 * The station's TLS policy for the designated server: TLS 1.3 or 1.2 only, trusting the configured
 * CA (chain, validity and the JDK's host-name check), the pinned server key, or both (the chain is
 * checked first, then the key). The JDK's default trust store is never consulted, so a public CA
 * cannot vouch for a look-alike server.
 */
final class Tls {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private Tls() {}

  static SSLSocketFactory socketFactory(ServerConfig cfg) throws GeneralSecurityException {
    X509ExtendedTrustManager caTrust = null;
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
      caTrust = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    }
    TrustManager tm =
        cfg.spkiSha256().isPresent()
            ? new PinTrustManager(cfg.spkiSha256().get(), caTrust)
            : caTrust;
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

  /**
   * Accepts exactly the server key whose SPKI SHA-256 is pinned (RFC 7469 style), after the CA's
   * checks when a CA is configured too.
   */
  static final class PinTrustManager extends X509ExtendedTrustManager {
    private final String pin;
    private final X509ExtendedTrustManager ca;

    /** {@code ca} is null for a pin alone. */
    PinTrustManager(String pin, X509ExtendedTrustManager ca) {
      this.pin = pin;
      this.ca = ca;
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
      if (ca != null) {
        ca.checkServerTrusted(chain, authType);
      }
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      if (ca != null) {
        ca.checkServerTrusted(chain, authType, socket);
      }
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      if (ca != null) {
        ca.checkServerTrusted(chain, authType, engine);
      }
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
      return ca != null ? ca.getAcceptedIssuers() : new X509Certificate[0];
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
