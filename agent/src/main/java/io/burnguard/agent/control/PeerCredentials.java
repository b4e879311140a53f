package io.burnguard.agent.control;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import io.burnguard.config.Role;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identifies the peer of a control connection.
 *
 * <p>Threat: a local user pretending to be someone else. The identity comes only from the kernel
 * ({@code SO_PEERCRED}: the user and group of the process that connected), never from the request.
 * {@code SO_PEERCRED} carries the effective uid and gid only, so the user's supplementary groups
 * are looked up with {@code getgrouplist(3)} through JNA, which goes through NSS like {@code id(1)}
 * does (local files, LDAP, SSSD).
 */
final class PeerCredentials {
  private static final Logger log = LoggerFactory.getLogger(PeerCredentials.class);
  private static final Object LIBC_LOCK = new Object();
  private static final LibC LIBC = loadLibc();

  private PeerCredentials() {}

  /** The caller on {@code ch}, with roles mapped from {@code roleOfGroup}. */
  static Caller of(SocketChannel ch, Map<String, Role> roleOfGroup) throws IOException {
    UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
    String user = p.user().getName();
    String primaryGroup = p.group().getName();
    Set<String> groups = new LinkedHashSet<>();
    groups.add(primaryGroup);
    long uid = -1;
    synchronized (LIBC_LOCK) {
      if (LIBC != null) {
        Passwd pw = LIBC.getpwnam(user);
        if (pw != null) {
          uid = Integer.toUnsignedLong(pw.pw_uid);
          groups.addAll(groupsOf(user, pw.pw_gid));
        }
      }
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String g : groups) {
      Role r = roleOfGroup.get(g);
      if (r != null) {
        roles.add(r);
      }
    }
    return new Caller(user, uid, new ArrayList<>(groups), roles);
  }

  private static List<String> groupsOf(String user, int gid) {
    int[] buf = new int[64];
    IntByReference n = new IntByReference(buf.length);
    if (LIBC.getgrouplist(user, gid, buf, n) < 0) {
      buf = new int[n.getValue()];
      n.setValue(buf.length);
      if (LIBC.getgrouplist(user, gid, buf, n) < 0) {
        return List.of();
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n.getValue(); i++) {
      Group g = LIBC.getgrgid(buf[i]);
      names.add(g == null ? Integer.toUnsignedString(buf[i]) : g.gr_name);
    }
    return names;
  }

  private static LibC loadLibc() {
    try {
      return Native.load("c", LibC.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      log.warn(
          "cannot load libc for group lookups ({}); only each caller's primary group counts",
          e.getMessage());
      return null;
    }
  }

  /** The few libc calls needed; not reentrant, so every call holds {@link #LIBC_LOCK}. */
  interface LibC extends Library {
    Passwd getpwnam(String name);

    Group getgrgid(int gid);

    int getgrouplist(String user, int group, int[] groups, IntByReference ngroups);
  }

  /** {@code struct passwd} (glibc, x86_64 and aarch64 layouts agree). */
  @Structure.FieldOrder({
    "pw_name",
    "pw_passwd",
    "pw_uid",
    "pw_gid",
    "pw_gecos",
    "pw_dir",
    "pw_shell"
  })
  public static class Passwd extends Structure {
    public String pw_name;
    public String pw_passwd;
    public int pw_uid;
    public int pw_gid;
    public String pw_gecos;
    public String pw_dir;
    public String pw_shell;
  }

  /** {@code struct group}. */
  @Structure.FieldOrder({"gr_name", "gr_passwd", "gr_gid", "gr_mem"})
  public static class Group extends Structure {
    public String gr_name;
    public String gr_passwd;
    public int gr_gid;
    public Pointer gr_mem;
  }
}
