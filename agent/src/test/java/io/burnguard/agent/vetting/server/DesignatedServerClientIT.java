package io.burnguard.agent.vetting.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.burnguard.agent.vetting.server.ServerRefusedException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The designated-server client against a real HTTPS server on 127.0.0.1. */
class DesignatedServerClientIT {
  static TestHttpsServer server;
  static final byte[] MANIFEST =
      "{\"type\":\"burnguard-release\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] IMAGE = new byte[3 * 1024 * 1024 + 17];
  static final CountDownLatch RELEASE_STALL = new CountDownLatch(1);
  static final AtomicInteger imageRequests = new AtomicInteger();
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    new Random(1).nextBytes(IMAGE);
    server = new TestHttpsServer();
    server.handle(
        "/base/releases/x/1.0/manifest.json", x -> TestHttpsServer.send(x, 200, MANIFEST));
    server.handle("/base/big.json", x -> TestHttpsServer.send(x, 200, new byte[2 * 1024 * 1024]));
    server.handle(
        "/base/chunked.json",
        x -> {
          x.sendResponseHeaders(200, 0);
          try {
            for (int i = 0; i < 64; i++) {
              x.getResponseBody().write(new byte[64 * 1024]);
            }
          } finally {
            x.close();
          }
        });
    server.handle(
        "/base/away.json",
        x -> {
          x.getResponseHeaders()
              .add("Location", "https://evil.invalid/base/releases/x/1.0/manifest.json");
          TestHttpsServer.send(x, 302, new byte[0]);
        });
    server.handle(
        "/base/inside.json",
        x -> {
          x.getResponseHeaders().add("Location", "/base/releases/x/1.0/manifest.json");
          TestHttpsServer.send(x, 301, new byte[0]);
        });
    server.handle(
        "/base/out-of-base.json",
        x -> {
          x.getResponseHeaders().add("Location", "/other/manifest.json");
          TestHttpsServer.send(x, 302, new byte[0]);
        });
    server.handle(
        "/base/stall.json",
        x -> {
          try {
            RELEASE_STALL.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          TestHttpsServer.send(x, 200, MANIFEST);
        });
    server.handle(
        "/base/encoded-climb.json",
        x -> {
          x.getResponseHeaders().add("Location", "/base/%2e%2e/other/manifest.json");
          TestHttpsServer.send(x, 302, new byte[0]);
        });
    server.handle(
        "/base/encoded-slash.json",
        x -> {
          x.getResponseHeaders().add("Location", "/base/releases%2F..%2F..%2Fother/manifest.json");
          TestHttpsServer.send(x, 302, new byte[0]);
        });
    server.handle("/base/trickle.json", x -> trickle(x, 1000));
    server.handle("/base/releases/x/1.0/trickle.bin", x -> trickle(x, 1 << 20));
    server.handle("/base/releases/x/1.0/image.bin", DesignatedServerClientIT::image);
    server.handle("/base/releases/x/1.0/whole.bin", x -> TestHttpsServer.send(x, 200, IMAGE));
  }

  /** Serves IMAGE with Range; the first request is cut off halfway (a truncated download). */
  static void image(com.sun.net.httpserver.HttpExchange x) throws java.io.IOException {
    int n = imageRequests.incrementAndGet();
    String range = x.getRequestHeaders().getFirst("Range");
    int start = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
    if (start > 0) {
      x.getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + (IMAGE.length - 1) + "/" + IMAGE.length);
    }
    x.sendResponseHeaders(start > 0 ? 206 : 200, IMAGE.length - start);
    try {
      int end = n == 1 ? IMAGE.length / 2 : IMAGE.length;
      x.getResponseBody().write(IMAGE, start, end - start);
    } finally {
      x.close(); // short of Content-Length on the first request: the connection drops
    }
  }

  /** An attacker's server: one byte every 100 ms, each well inside any read timeout. */
  static void trickle(com.sun.net.httpserver.HttpExchange x, int length)
      throws java.io.IOException {
    x.sendResponseHeaders(200, length);
    try (java.io.OutputStream out = x.getResponseBody()) {
      for (int i = 0; i < length; i++) {
        out.write('x');
        out.flush();
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    RELEASE_STALL.countDown();
    server.close();
  }

  static DesignatedServerClient client(ServerConfig cfg) throws Exception {
    return new DesignatedServerClient(cfg);
  }

  static DesignatedServerClient trusting() throws Exception {
    return client(ServerConfig.withCa(server.base(), server.ca));
  }

  static void assertReason(Reason r, Executable e) {
    ServerRefusedException x = assertThrows(ServerRefusedException.class, e);
    assertEquals(r, x.reason(), x.getMessage());
  }

  @Test
  void fetchesAManifestFromTheConfiguredCa() throws Exception {
    assertArrayEquals(
        MANIFEST,
        trusting().fetchDocument(DesignatedServerClient.releasePath("x", "1.0", "manifest.json")));
  }

  @Test
  void serverCertificateFromAnotherCaIsRefused() throws Exception {
    DesignatedServerClient c = client(ServerConfig.withCa(server.base(), server.otherCa));
    assertReason(Reason.TLS_UNTRUSTED, () -> c.fetchDocument("releases/x/1.0/manifest.json"));
  }

  @Test
  void spkiPinMatchesAndMismatches() throws Exception {
    String pin = Tls.spkiSha256(server.serverCert);
    ServerConfig ok =
        new ServerConfig(
            server.base(),
            Optional.empty(),
            Optional.of(pin),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            65536);
    assertArrayEquals(MANIFEST, client(ok).fetchDocument("releases/x/1.0/manifest.json"));
    ServerConfig bad =
        new ServerConfig(
            server.base(),
            Optional.empty(),
            Optional.of("00".repeat(32)),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            65536);
    assertReason(
        Reason.TLS_UNTRUSTED, () -> client(bad).fetchDocument("releases/x/1.0/manifest.json"));
  }

  @Test
  void redirectToAnotherHostIsRefused() throws Exception {
    assertReason(Reason.REDIRECT_REFUSED, () -> trusting().fetchDocument("away.json"));
    assertReason(Reason.REDIRECT_REFUSED, () -> trusting().fetchDocument("out-of-base.json"));
    assertArrayEquals(MANIFEST, trusting().fetchDocument("inside.json"));
  }

  @Test
  void oversizedDocumentsAreRefused() throws Exception {
    assertReason(Reason.TOO_LARGE, () -> trusting().fetchDocument("big.json"));
    assertReason(Reason.TOO_LARGE, () -> trusting().fetchDocument("chunked.json"));
  }

  @Test
  void pathsCannotLeaveTheBase() throws Exception {
    assertReason(Reason.PATH_REFUSED, () -> trusting().fetchDocument("../secret"));
    assertReason(Reason.PATH_REFUSED, () -> trusting().fetchDocument("releases/%2e%2e/x"));
    assertReason(Reason.PATH_REFUSED, () -> trusting().fetchDocument("//evil.invalid/x"));
  }

  @Test
  void stalledServerTimesOut() throws Exception {
    ServerConfig cfg =
        new ServerConfig(
            server.base(),
            Optional.of(server.ca),
            Optional.empty(),
            Duration.ofSeconds(5),
            Duration.ofMillis(300),
            65536);
    assertReason(Reason.TIMEOUT, () -> client(cfg).fetchDocument("stall.json"));
  }

  static ServerConfig deadlineConfig(Duration request, long minImageRate) {
    return new ServerConfig(
        server.base(),
        Optional.of(server.ca),
        Optional.empty(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        65536,
        request,
        minImageRate);
  }

  @Test
  void tricklingServerIsCutOffAtTheRequestDeadline() throws Exception {
    DesignatedServerClient c = client(deadlineConfig(Duration.ofSeconds(2), 1024));
    long t0 = System.nanoTime();
    ServerRefusedException e =
        assertThrows(ServerRefusedException.class, () -> c.fetchDocument("trickle.json"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("total deadline of 2 s"), e.getMessage());
    // 1000 bytes at 10/s would take 100 s; each read is far inside the 5 s read timeout.
    assertTrue(ms >= 1900 && ms < 10_000, "cut off after " + ms + " ms");
  }

  @Test
  void tricklingImageIsCutOffAtItsSizeScaledDeadline() throws Exception {
    // 1 MiB at a floor of 512 KiB/s: 1 s + 2 s = 3 s, against ~29 hours at the trickle's pace.
    DesignatedServerClient c = client(deadlineConfig(Duration.ofSeconds(1), 512 * 1024));
    Path part = dir.resolve("trickle.part");
    long t0 = System.nanoTime();
    ServerRefusedException e =
        assertThrows(
            ServerRefusedException.class,
            () ->
                c.download(
                    DesignatedServerClient.releasePath("x", "1.0", "trickle.bin"),
                    part,
                    1 << 20,
                    (d, t) -> {}));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("total deadline of 3 s"), e.getMessage());
    assertTrue(ms >= 2900 && ms < 12_000, "cut off after " + ms + " ms");
    assertTrue(Files.size(part) > 0, "what arrived is kept for resuming");
  }

  @Test
  void encodedDotSegmentsInARedirectAreRefused() throws Exception {
    assertReason(Reason.REDIRECT_REFUSED, () -> trusting().fetchDocument("encoded-climb.json"));
    assertReason(Reason.REDIRECT_REFUSED, () -> trusting().fetchDocument("encoded-slash.json"));
  }

  @Test
  void pinAndCaTogetherMustBothHold() throws Exception {
    String pin = Tls.spkiSha256(server.serverCert);
    ServerConfig both =
        new ServerConfig(
            server.base(),
            Optional.of(server.ca),
            Optional.of(pin),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            65536);
    assertArrayEquals(MANIFEST, client(both).fetchDocument("releases/x/1.0/manifest.json"));
    ServerConfig wrongCa =
        new ServerConfig(
            server.base(),
            Optional.of(server.otherCa),
            Optional.of(pin),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            65536);
    assertReason(
        Reason.TLS_UNTRUSTED, () -> client(wrongCa).fetchDocument("releases/x/1.0/manifest.json"));
    ServerConfig wrongPin =
        new ServerConfig(
            server.base(),
            Optional.of(server.ca),
            Optional.of("00".repeat(32)),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            65536);
    assertReason(
        Reason.TLS_UNTRUSTED, () -> client(wrongPin).fetchDocument("releases/x/1.0/manifest.json"));
  }

  @Test
  void truncatedDownloadIsReportedThenResumedWithRange() throws Exception {
    Path part = dir.resolve("image.bin.part");
    List<Long> progress = new ArrayList<>();
    DesignatedServerClient c = trusting();
    String path = DesignatedServerClient.releasePath("x", "1.0", "image.bin");
    java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
    assertReason(
        Reason.TRUNCATED,
        () -> c.download(path, part, IMAGE.length, (d, t) -> progress.add(d), first::write));
    long kept = Files.size(part);
    assertTrue(kept > 0 && kept < IMAGE.length, "kept " + kept);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(part)));
    assertEquals(kept, first.size(), "the tee saw what reached the part file");
    // The resumed download hands the tee the part file's bytes first, then the network's.
    java.io.ByteArrayOutputStream second = new java.io.ByteArrayOutputStream();
    c.download(path, part, IMAGE.length, (d, t) -> progress.add(d), second::write);
    assertArrayEquals(IMAGE, Files.readAllBytes(part));
    assertArrayEquals(IMAGE, second.toByteArray());
    assertEquals(IMAGE.length, progress.get(progress.size() - 1));
    // A complete part file is replayed whole; a failing tee stops it unchanged.
    java.io.ByteArrayOutputStream third = new java.io.ByteArrayOutputStream();
    c.download(path, part, IMAGE.length, (d, t) -> {}, third::write);
    assertArrayEquals(IMAGE, third.toByteArray());
    java.io.IOException boom = new java.io.IOException("scanner gone");
    assertEquals(
        boom,
        assertThrows(
            java.io.IOException.class,
            () ->
                c.download(
                    path,
                    part,
                    IMAGE.length,
                    (d, t) -> {},
                    (b, off, len) -> {
                      throw boom;
                    })));
  }

  @Test
  void teeFailureStopsTheNetworkCopyAndKeepsThePartFile() throws Exception {
    Path part = dir.resolve("tee.part");
    DesignatedServerClient c = trusting();
    java.io.IOException boom = new java.io.IOException("clamd went away");
    long[] seen = {0};
    java.io.IOException e =
        assertThrows(
            java.io.IOException.class,
            () ->
                c.download(
                    DesignatedServerClient.releasePath("x", "1.0", "whole.bin"),
                    part,
                    IMAGE.length,
                    (d, t) -> {},
                    (b, off, len) -> {
                      seen[0] += len;
                      if (seen[0] > IMAGE.length / 3) {
                        throw boom;
                      }
                    }));
    assertEquals(boom, e, "the tee's failure is not reported as a server failure");
    assertEquals(seen[0], Files.size(part));
  }

  @Test
  void httpBaseIsRefusedByConfiguration() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.withCa(java.net.URI.create("http://127.0.0.1/base/"), server.ca));
  }
}
