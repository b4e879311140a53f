package io.burnguard.agent.vetting.bench;

import io.burnguard.agent.db.Database;
import io.burnguard.agent.scan.ClamdClient;
import io.burnguard.agent.scan.ClamdFixture;
import io.burnguard.agent.scan.ImageScanner;
import io.burnguard.agent.scan.Quarantine;
import io.burnguard.agent.scan.ScanAlerts;
import io.burnguard.agent.scan.ScanPolicy;
import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.ReleaseSigner;
import io.burnguard.agent.vetting.ReleaseVerifier;
import io.burnguard.agent.vetting.TestPkiAccess;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.cache.ImageCache;
import io.burnguard.agent.vetting.fetch.ReleaseFetcher;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import io.burnguard.agent.vetting.server.ServerConfig;
import io.burnguard.agent.vetting.server.TestHttpsServer;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Issue 3 benchmarks. Run (results go to BENCHMARKS.md):
 *
 * <pre>
 * mvn -B -q -pl agent -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx64m -cp agent/target/test-classes:agent/target/classes:$(cat agent/target/cp.txt) \
 *     io.burnguard.agent.vetting.bench.VettingBench [sha|cms|heap] ...
 * </pre>
 */
public final class VettingBench {
  private VettingBench() {}

  public static void main(String[] args) throws Exception {
    List<String> which = args.length == 0 ? List.of("sha", "cms", "heap") : Arrays.asList(args);
    Path dir = Files.createTempDirectory("bg-bench");
    try {
      if (which.contains("sha")) {
        sha(dir);
      }
      if (which.contains("cms")) {
        cms();
      }
      if (which.contains("heap")) {
        heap(dir, 16L << 20);
        heap(dir, 1L << 30);
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static Path randomFile(Path dir, String name, long size) throws Exception {
    Path f = dir.resolve(name);
    byte[] buf = new byte[1 << 20];
    Random r = new Random(42);
    try (OutputStream out = Files.newOutputStream(f)) {
      for (long done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, size - done));
      }
    }
    return f;
  }

  static void sha(Path dir) throws Exception {
    long size = 256L << 20;
    Path f = randomFile(dir, "img.bin", size);
    Manifest m =
        ReleaseSigner.manifestFor(f, "bench", "1.0", List.of("X"), java.time.Instant.now(), false);
    double ours = 0;
    double theirs = 0;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      ReleaseVerifier.checkImage(m, f);
      ours = Math.max(ours, size / ((System.nanoTime() - t0) / 1e9) / (1 << 20));
      t0 = System.nanoTime();
      Process p = new ProcessBuilder("sha256sum", f.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
      theirs = Math.max(theirs, size / ((System.nanoTime() - t0) / 1e9) / (1 << 20));
    }
    System.out.printf(
        Locale.ROOT,
        "sha: 256 MiB image, best of 5: ours %.0f MiB/s, sha256sum %.0f MiB/s, ratio %.2f%n",
        ours,
        theirs,
        ours / theirs);
  }

  static void cms() throws Exception {
    TestPkiAccess pki = new TestPkiAccess();
    byte[] m = pki.manifest();
    byte[] sig = pki.signThree(m);
    TrustPolicy p = pki.policyThree();
    for (int i = 0; i < 50; i++) {
      ReleaseVerifier.verifyOffline(p, "manifest.json", m, sig);
    }
    long[] t = new long[300];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      ReleaseVerifier.verifyOffline(p, "manifest.json", m, sig);
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    System.out.printf(
        Locale.ROOT,
        "cms: manifest + CMS, 3 ECDSA P-256 signers, 2-level chain, 2 CRLs: median %.2f ms,"
            + " p95 %.2f ms (300 runs after 50 warm-up)%n",
        t[t.length / 2] / 1e6,
        t[t.length * 95 / 100] / 1e6);
  }

  static void heap(Path dir, long size) throws Exception {
    Path www = Files.createDirectories(dir.resolve("www-" + size));
    Path rel = Files.createDirectories(www.resolve("releases/big/1.0"));
    Path img = randomFile(rel, "big.bin", size);
    TestPkiAccess pki = new TestPkiAccess();
    pki.publish(www, img);
    try (TestHttpsServer server = new TestHttpsServer();
        ClamdFixture clamd =
            ClamdFixture.builder().streamMaxLength(size + 1).maxFileSize(size + 1).start()) {
      server.handle(
          "/base/",
          x -> {
            Path f = www.resolve(x.getRequestURI().getPath().substring(6)).normalize();
            if (!f.startsWith(www) || !Files.isRegularFile(f)) {
              TestHttpsServer.send(x, 404, new byte[0]);
              return;
            }
            x.sendResponseHeaders(200, Files.size(f));
            try (OutputStream out = x.getResponseBody()) {
              Files.copy(f, out);
            }
          });
      Path station = Files.createDirectories(dir.resolve("station-" + size));
      ImageCache cache =
          ImageCache.open(station.resolve("cache"), station.resolve("key"), TestPkiAccess.CLOCK);
      Database db = Database.open(station.resolve("station.db"));
      ImageScanner scanner =
          new ImageScanner(
              new ClamdClient(io.burnguard.agent.scan.ClamdSettings.of(clamd.unixAddress())),
              db,
              ScanPolicy.defaults(),
              java.time.Clock.systemUTC(),
              ScanAlerts.none(),
              Quarantine.none());
      ReleaseFetcher fetcher =
          new ReleaseFetcher(
              new DesignatedServerClient(
                  new ServerConfig(
                      server.base(),
                      java.util.Optional.of(server.ca),
                      java.util.Optional.empty(),
                      Duration.ofSeconds(10),
                      Duration.ofSeconds(60),
                      1 << 20)),
              pki.policyOne(),
              List.of("root.crl", "ca1.crl"),
              VersionStore.inMemory(),
              cache,
              station.resolve("downloads"),
              new io.burnguard.agent.vetting.fetch.ReleaseCatalog(db),
              scanner);
      System.gc();
      List<MemoryPoolMXBean> pools = new ArrayList<>();
      for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
        if (b.getType() == MemoryType.HEAP) {
          b.resetPeakUsage();
          pools.add(b);
        }
      }
      long t0 = System.nanoTime();
      fetcher.fetch("big", "1.0", (d, t) -> {});
      double secs = (System.nanoTime() - t0) / 1e9;
      long peak = 0;
      for (MemoryPoolMXBean b : pools) {
        peak += b.getPeakUsage().getUsed();
      }
      System.out.printf(
          Locale.ROOT,
          "heap: fetch %d MiB (HTTPS + verify + clamd scan + encrypt into cache) in %.1f s: peak heap %.1f MiB"
              + " (max heap %d MiB)%n",
          size >> 20,
          secs,
          peak / 1048576.0,
          Runtime.getRuntime().maxMemory() >> 20);
    }
  }
}
