package io.burnguard.agent.vetting.server;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach the designated server (issue 3, "Designated-server client").
 *
 * <p>Trust: the CA, the SPKI pin, or both. With the CA the certificate chain, validity and host
 * name are checked; a pin alone checks only the server's key (an expired certificate or one for
 * another host name is accepted as long as the key matches), so both together are the strictest.
 *
 * <p>Deadlines: {@code readTimeout} bounds each single read, which a server sending one byte just
 * before every timeout would otherwise stretch without end; {@code requestTimeout} bounds a whole
 * document request (redirects and body included), and an image request gets {@code requestTimeout}
 * plus its length at {@code minImageRate} bytes per second.
 *
 * @param base {@code https://host[:port]/base/}; everything fetched lives under it
 * @param ca the CA that issued the server's certificate, or empty when pinned by SPKI only
 * @param spkiSha256 hex SHA-256 of the server's SubjectPublicKeyInfo, or empty when using the CA
 *     only
 * @param connectTimeout TCP + TLS connect timeout
 * @param readTimeout the longest wait for any single read
 * @param maxDocumentBytes limit for manifests, signatures, withdrawal lists and CRLs
 * @param requestTimeout the longest a whole document request may take
 * @param minImageRate bytes per second an image download must at least average
 */
public record ServerConfig(
    URI base,
    Optional<X509Certificate> ca,
    Optional<String> spkiSha256,
    Duration connectTimeout,
    Duration readTimeout,
    long maxDocumentBytes,
    Duration requestTimeout,
    long minImageRate) {

  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default read timeout. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** Default document limit: 1 MiB, far above any manifest, signature or CRL. */
  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024;

  /** Default total deadline of a document request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Default slowest acceptable average image rate: 64 KiB/s (16 MiB in about 4 minutes). */
  public static final long DEFAULT_MIN_IMAGE_RATE = 64 * 1024;

  private static final Pattern PIN = Pattern.compile("[0-9a-f]{64}");

  /** Refuses impossible or contradictory values where they are set. */
  public ServerConfig {
    Objects.requireNonNull(base, "base");
    if (!"https".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException(
          "the designated server must be an https:// URL with a host, found " + base);
    }
    if (base.getRawQuery() != null || base.getRawFragment() != null || base.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "the designated server URL must not carry user info, query or fragment: " + base);
    }
    String path =
        base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    base = base.resolve(path);
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(spkiSha256, "spkiSha256");
    if (ca.isEmpty() && spkiSha256.isEmpty()) {
      throw new IllegalArgumentException(
          "configure the server CA, the server SPKI pin, or both; found neither");
    }
    spkiSha256 = spkiSha256.map(p -> p.toLowerCase(Locale.ROOT));
    if (spkiSha256.isPresent() && !PIN.matcher(spkiSha256.get()).matches()) {
      throw new IllegalArgumentException(
          "the SPKI pin must be 64 hex digits (SHA-256), found " + spkiSha256.get());
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    if (maxDocumentBytes < 1024) {
      throw new IllegalArgumentException(
          "maxDocumentBytes must be at least 1024, found " + maxDocumentBytes);
    }
    requirePositive("requestTimeout", requestTimeout);
    if (minImageRate < 1) {
      throw new IllegalArgumentException("minImageRate must be positive, found " + minImageRate);
    }
  }

  /** A configuration with the default request deadline and image rate. */
  public ServerConfig(
      URI base,
      Optional<X509Certificate> ca,
      Optional<String> spkiSha256,
      Duration connectTimeout,
      Duration readTimeout,
      long maxDocumentBytes) {
    this(
        base,
        ca,
        spkiSha256,
        connectTimeout,
        readTimeout,
        maxDocumentBytes,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MIN_IMAGE_RATE);
  }

  /** The total deadline of downloading an image of {@code length} bytes. */
  public Duration imageDeadline(long length) {
    long seconds = Math.max(0, length) / minImageRate;
    return requestTimeout.plusSeconds(seconds);
  }

  /** A configuration trusting {@code ca} with the default timeouts and limits. */
  public static ServerConfig withCa(URI base, X509Certificate ca) {
    return new ServerConfig(
        base,
        Optional.of(ca),
        Optional.empty(),
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
        DEFAULT_MAX_DOCUMENT_BYTES);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, found " + d);
    }
  }
}
