package io.burnguard.agent.vetting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The release side: writes a manifest for an image and signs it with one or more keys, producing
 * the same detached DER CMS SignedData that {@code openssl cms -sign -binary -outform DER} makes
 * (signed attributes, id-data, certificates of every signer's chain below the root included).
 */
public final class ReleaseSigner {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private ReleaseSigner() {}

  /**
   * A signing key and its certificate chain.
   *
   * @param key the private key
   * @param chain leaf first; intermediates follow (the root may be included)
   */
  public record SigningKey(PrivateKey key, List<X509Certificate> chain) {
    /** Requires a leaf certificate. */
    public SigningKey {
      Objects.requireNonNull(key, "key");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("a signing key needs its certificate");
      }
    }
  }

  /** Loads the single private key and its chain from a PKCS#12 file. */
  public static SigningKey loadPkcs12(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password);
    }
    List<String> keys = new ArrayList<>();
    for (String alias : Collections.list(ks.aliases())) {
      if (ks.isKeyEntry(alias)) {
        keys.add(alias);
      }
    }
    if (keys.size() != 1) {
      throw new GeneralSecurityException(
          String.format(
              Locale.ROOT, "%s holds %d private keys; expected exactly one", file, keys.size()));
    }
    PrivateKey key = (PrivateKey) ks.getKey(keys.get(0), password);
    Certificate[] certs = ks.getCertificateChain(keys.get(0));
    if (key == null || certs == null || certs.length == 0) {
      throw new GeneralSecurityException(file + " has a key entry without a certificate chain");
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate c : certs) {
      chain.add((X509Certificate) c);
    }
    return new SigningKey(key, chain);
  }

  /** The manifest for {@code image}: its length and SHA-256 (streamed, never in the heap). */
  public static Manifest manifestFor(
      Path image,
      String name,
      String version,
      List<String> models,
      Instant issued,
      boolean allowDowngrade)
      throws IOException {
    String sha;
    try (InputStream in = Files.newInputStream(image)) {
      sha = ReleaseVerifier.sha256(in);
    }
    Path fileName = image.getFileName();
    return new Manifest(
        name,
        version,
        models,
        fileName == null ? "" : fileName.toString(),
        Files.size(image),
        sha,
        issued,
        allowDowngrade);
  }

  /** The canonical bytes of {@code m}; exactly these are signed and published. */
  public static byte[] manifestBytes(Manifest m) {
    return DocumentCodec.writeManifest(m);
  }

  /** The canonical bytes of a withdrawal list, for the release side. */
  public static byte[] withdrawalBytes(WithdrawalList w) {
    return DocumentCodec.writeWithdrawals(w);
  }

  /** A detached DER CMS SignedData over {@code content} with one SignerInfo per key. */
  public static byte[] sign(byte[] content, List<SigningKey> keys) throws GeneralSecurityException {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one signing key is needed");
    }
    try {
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      Set<X509Certificate> certs = new LinkedHashSet<>();
      for (SigningKey k : keys) {
        gen.addSignerInfoGenerator(
            new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                .build(
                    new JcaContentSignerBuilder(signatureAlgorithm(k.key()))
                        .setProvider(BC)
                        .build(k.key()),
                    k.chain().get(0)));
        certs.addAll(k.chain());
      }
      gen.addCertificates(new JcaCertStore(certs));
      return gen.generate(new CMSProcessableByteArray(content), false).getEncoded("DER");
    } catch (OperatorCreationException | CMSException | CertificateEncodingException e) {
      throw new GeneralSecurityException("cannot sign: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the signature: " + e.getMessage(), e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) throws GeneralSecurityException {
    if (key instanceof RSAKey) {
      return "SHA256withRSA";
    }
    if (key instanceof ECKey) {
      return ((ECKey) key).getParams().getCurve().getField().getFieldSize() > 256
          ? "SHA384withECDSA"
          : "SHA256withECDSA";
    }
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      return "Ed25519";
    }
    throw new GeneralSecurityException(
        "key type " + key.getAlgorithm() + " is not allowed; use RSA >= 2048, ECDSA or Ed25519");
  }
}
