package io.burnguard.agent.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Prepares the directory that holds the control socket.
 *
 * <p>Threat: another local user replacing or pre-creating the socket (or a symlink to it) to
 * intercept the CLI. The directory is dedicated to BurnGuard: created {@code 0750}, owned by the
 * daemon's user and the configured socket group, so only that group can even reach the socket. A
 * directory that exists but belongs to someone else, or is a symlink, is refused instead of being
 * adopted. A stale socket is removed only after checking nothing answers on it, so a second daemon
 * cannot steal the first one's socket.
 */
final class SocketDirectory {
  private SocketDirectory() {}

  static void prepare(Path socket, String group) throws DaemonException {
    Path dir = socket.toAbsolutePath().getParent();
    try {
      if (Files.isSymbolicLink(dir)) {
        throw new DaemonException(
            "the socket directory "
                + dir
                + " is a symbolic link; refusing to use it. Point"
                + " station.socket at a directory dedicated to BurnGuard, e.g. /run/burnguard");
      }
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir);
      }
      PosixFileAttributeView view =
          Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      PosixFileAttributes attrs = view.readAttributes();
      UserPrincipal me =
          FileSystems.getDefault()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
      if (!attrs.owner().equals(me)) {
        throw new DaemonException(
            "the socket directory "
                + dir
                + " belongs to "
                + attrs.owner().getName()
                + ", not to the daemon's user "
                + me.getName()
                + "; refusing to share it."
                + " Use a directory dedicated to BurnGuard (e.g. /run/burnguard, which the"
                + " systemd unit creates)");
      }
      if (group != null) {
        try {
          GroupPrincipal g =
              FileSystems.getDefault()
                  .getUserPrincipalLookupService()
                  .lookupPrincipalByGroupName(group);
          view.setGroup(g);
        } catch (UserPrincipalNotFoundException e) {
          throw new DaemonException(
              "station.socketGroup names the group \""
                  + group
                  + "\", which does not exist on"
                  + " this machine; create it (groupadd "
                  + group
                  + ") or fix station.yaml");
        }
      }
      view.setPermissions(PosixFilePermissions.fromString("rwxr-x---"));
      removeStaleSocket(socket);
    } catch (IOException e) {
      throw new DaemonException(
          "cannot prepare the socket directory "
              + dir
              + ": "
              + e.getMessage()
              + "; check that the daemon's user may create it",
          e);
    }
  }

  private static void removeStaleSocket(Path socket) throws IOException, DaemonException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(socket));
      throw new DaemonException(
          "another BurnGuard daemon is already running on "
              + socket
              + "; stop it first (systemctl stop burnguard) or give this one another socket");
    } catch (IOException stale) {
      Files.delete(socket);
    }
  }
}
