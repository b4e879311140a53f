package io.burnguard.agent.cli;

import io.burnguard.config.ConfigException;
import io.burnguard.config.StationConfigLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run for the CLI's class-data-sharing archive (issue 17; the launcher runs it with
 * {@code -XX:DumpLoadedClassList} and archives that list with {@code -Xshare:dump} for {@code
 * burnguard --make-cds-archive}, and the package's postinst calls that). It runs the operator's
 * commands, {@code burn} and {@code burn --json}, and {@code --version} in this JVM against a
 * stand-in daemon on a private socket that answers like the real one (a progress line, an info
 * line, the result), so the archive holds the classes of the real client path: command line
 * (without picocli, {@link QuickBurn}, and with it, as the other commands read theirs), station
 * config (which names the socket), request, socket, reply parsing and output. It can never reach a
 * real daemon: its config names only its own socket. Nothing is burned and nothing outside a
 * private temporary directory is touched.
 */
public final class CdsTraining {
  private static final String REPLY =
      "{\"type\":\"progress\",\"phase\":\"write\",\"done\":1,\"total\":2}\n"
          + "{\"type\":\"info\",\"message\":\"training\"}\n"
          + "{\"type\":\"result\",\"exit\":0,\"message\":\"PASS training\","
          + "\"data\":{\"timing\":{\"pipelineMillis\":1.0}}}\n";

  private CdsTraining() {}

  /** Exits 0 when every training command ran as expected, 1 otherwise. */
  public static void main(String[] args) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("burnguard-cds");
    Path socket = dir.resolve("training.sock");
    int failures = 0;
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread daemon = new Thread(() -> answer(server, 3), "cds-training-daemon");
      daemon.setDaemon(true);
      daemon.start();
      // the socket from a station config, as an operator's burn finds it
      Path config = dir.resolve("station.yaml");
      Files.writeString(config, config(dir, socket), StandardCharsets.UTF_8);
      try {
        // the CLI would fall back to the default socket, a real daemon's, on an invalid config
        StationConfigLoader.load(config);
      } catch (ConfigException e) {
        throw new IllegalStateException("cds training: its own station config is invalid", e);
      }
      String[] burn = {"burn", "--fixture", "training", "--barcode", "TRAIN-1", "--config"};
      failures += expect(0, concat(burn, config.toString()));
      failures += expect(0, concat(burn, config.toString(), "--json"));
      // the same burn through picocli, as every other command and any unusual burn line goes
      failures += expectPicocli(0, concat(burn, config.toString()));
      failures += expect(0, new String[] {"--version"});
      daemon.join(10_000);
    } finally {
      Files.deleteIfExists(dir.resolve("station.yaml"));
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  /** A valid station config whose socket is the stand-in's; its other files need not exist. */
  private static String config(Path dir, Path socket) {
    return "station:\n"
        + "  id: cds-training\n"
        + "  dataDir: "
        + dir.resolve("data")
        + "\n"
        + "  socket: "
        + socket
        + "\n"
        + "roles:\n"
        + "  nogroup: operator\n"
        + "server:\n"
        + "  url: https://127.0.0.1:1/releases\n"
        + "  caFile: "
        + dir.resolve("server-ca.pem")
        + "\n"
        + "trust:\n"
        + "  releaseRoot: "
        + dir.resolve("release-root.pem")
        + "\n"
        + "  crlDir: "
        + dir.resolve("crl")
        + "\n"
        + "  signers: [\"Training\"]\n"
        + "scanner:\n"
        + "  clamd: unix:"
        + dir.resolve("no-clamd.sock")
        + "\n";
  }

  private static int expect(int exit, String[] args) {
    StringWriter sink = new StringWriter();
    int got = Main.run(args, new PrintWriter(sink), new PrintWriter(sink));
    if (got != exit) {
      System.err.printf(
          "burnguard cds training: %s exited %d, expected %d: %s%n",
          String.join(" ", args), got, exit, sink);
      return 1;
    }
    return 0;
  }

  /** Runs {@code args} through picocli's command tree, as {@link QuickBurn} declines to. */
  private static int expectPicocli(int exit, String[] args) {
    StringWriter sink = new StringWriter();
    picocli.CommandLine cl = Main.commandLine(Subcommands.named(args[0]));
    cl.setOut(new PrintWriter(sink));
    cl.setErr(new PrintWriter(sink));
    int got = cl.execute(args);
    if (got != exit) {
      System.err.printf(
          "burnguard cds training: %s (picocli) exited %d, expected %d: %s%n",
          String.join(" ", args), got, exit, sink);
      return 1;
    }
    return 0;
  }

  /** The stand-in daemon: reads one request line per connection and sends {@link #REPLY}. */
  private static void answer(ServerSocketChannel server, int connections) {
    for (int i = 0; i < connections; i++) {
      try (SocketChannel ch = server.accept()) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        in.readLine();
        ByteBuffer out = ByteBuffer.wrap(REPLY.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
          ch.write(out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cds training: the stand-in daemon failed", e);
      }
    }
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
