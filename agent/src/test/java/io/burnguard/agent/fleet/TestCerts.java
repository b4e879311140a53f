package io.burnguard.agent.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates for the private PostgreSQL, made at test time with openssl. */
final class TestCerts {
  private TestCerts() {}

  /** A CA ({@code ca.pem}) and a server certificate for localhost/127.0.0.1. */
  static void makeServer(Path d) throws IOException, InterruptedException {
    openssl(
        d,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=fleet test CA",
        "-addext",
        "basicConstraints=critical,CA:true",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    openssl(
        d,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(
        d.resolve("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        StandardCharsets.UTF_8);
    openssl(
        d,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext");
    PrivatePostgres.setPrivate(d.resolve("server.key"));
  }

  /** {@code <cn>.pem} and its key as PKCS#8 DER {@code <cn>.pk8}, signed by the CA. */
  static void makeClient(Path d, String cn) throws IOException, InterruptedException {
    openssl(
        d,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        cn + ".key",
        "-out",
        cn + ".csr",
        "-subj",
        "/CN=" + cn);
    Files.writeString(
        d.resolve("client.ext"), "extendedKeyUsage=clientAuth\n", StandardCharsets.UTF_8);
    openssl(
        d,
        "x509",
        "-req",
        "-in",
        cn + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        cn + ".pem",
        "-days",
        "2",
        "-extfile",
        "client.ext");
    openssl(
        d,
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        cn + ".key",
        "-outform",
        "DER",
        "-out",
        cn + ".pk8");
    PrivatePostgres.setPrivate(d.resolve(cn + ".pk8"));
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
