package io.burnguard.agent.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny hostile stand-in for clamd: it listens, and misbehaves in one chosen way. */
final class FakeClamd implements AutoCloseable {
  enum Behavior {
    /** Accepts and holds the connection open, never reading or answering. */
    SILENT,
    /** Reads the command and answers something that is not a clamd reply. */
    GARBAGE,
    /** Reads the command and closes without a word. */
    HANG_UP
  }

  private final ServerSocketChannel server;
  private final Behavior behavior;
  private final ClamdAddress address;
  private final Path dir;
  private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private FakeClamd(ServerSocketChannel server, Behavior behavior, ClamdAddress a, Path dir) {
    this.server = server;
    this.behavior = behavior;
    this.address = a;
    this.dir = dir;
    this.thread = new Thread(this::serve, "fake-clamd-" + behavior);
    thread.setDaemon(true);
    thread.start();
  }

  static FakeClamd tcp(Behavior b) throws IOException {
    ServerSocketChannel s = ServerSocketChannel.open();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
    return new FakeClamd(s, b, ClamdAddress.tcp("127.0.0.1", port), null);
  }

  static FakeClamd unix(Behavior b) throws IOException {
    Path dir = Files.createTempDirectory("bg-fake-clamd");
    Path sock = dir.resolve("fake.sock");
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(sock), 50);
    return new FakeClamd(s, b, ClamdAddress.unix(sock), dir);
  }

  ClamdAddress address() {
    return address;
  }

  private void serve() {
    try {
      while (true) {
        SocketChannel c = server.accept();
        held.add(c);
        if (behavior == Behavior.SILENT) {
          continue;
        }
        ByteBuffer in = ByteBuffer.allocate(64);
        c.read(in);
        if (behavior == Behavior.GARBAGE) {
          c.write(
              ByteBuffer.wrap(
                  "HTTP/1.0 400 Bad Request\r\n\0".getBytes(StandardCharsets.US_ASCII)));
        }
        c.close();
      }
    } catch (IOException closed) {
      // the server was closed by close(): the thread ends
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel c : held) {
      c.close();
    }
    if (dir != null) {
      Files.deleteIfExists(dir.resolve("fake.sock"));
      Files.deleteIfExists(dir);
    }
  }
}
