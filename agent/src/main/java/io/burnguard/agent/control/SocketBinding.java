package io.burnguard.agent.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Binds the control socket with mode 0660 and the group of its directory.
 *
 * <p>Threat: a socket bound in place would, for a moment, accept connections with the umask's mode.
 * So it is bound under a temporary name, given its mode and group, and only then renamed into place
 * (an atomic rename within the directory the daemon prepared).
 */
final class SocketBinding {
  private SocketBinding() {}

  /** Returns the listening channel, bound at {@code socket}. */
  static ServerSocketChannel bind(Path socket) throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    Path staging = dir.resolve("." + socket.getFileName() + ".new");
    Files.deleteIfExists(staging);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(staging));
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-rw----"));
      PosixFileAttributeView view =
          Files.getFileAttributeView(
              staging, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      view.setGroup(Files.readAttributes(dir, PosixFileAttributes.class).group());
      Files.move(staging, socket, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }
}
