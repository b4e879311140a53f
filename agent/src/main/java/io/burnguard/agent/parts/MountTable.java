package io.burnguard.agent.parts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mount table, parsed from {@code /proc/self/mountinfo} (proc(5)): field 3 is the device number
 * {@code major:minor}, field 5 the mount point, and after the {@code -} separator come the file
 * system type and the mount source. Mount points are octal-escaped ({@code \040} for a space).
 */
final class MountTable {
  /** One mount: its device number, mount point and source (e.g. {@code /dev/sdb1}). */
  record Mount(String devNumber, String mountPoint, String source) {}

  private final List<Mount> mounts;

  private MountTable(List<Mount> mounts) {
    this.mounts = List.copyOf(mounts);
  }

  static MountTable read(Path mountInfo) throws IOException {
    List<Mount> out = new ArrayList<>();
    for (String line : Files.readAllLines(mountInfo, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      int sep = line.indexOf(" - ");
      if (f.length < 5 || sep < 0) {
        continue;
      }
      String[] tail = line.substring(sep + 3).split(" ");
      String source = tail.length > 1 ? unescape(tail[1]) : "";
      out.add(new Mount(f[2], unescape(f[4]), source));
    }
    return new MountTable(out);
  }

  List<Mount> all() {
    return mounts;
  }

  /** The mount whose mount point is the longest prefix of {@code path} (an absolute real path). */
  Optional<Mount> containing(Path path) {
    Mount best = null;
    for (Mount m : mounts) {
      Path mp = Path.of(m.mountPoint());
      if (path.startsWith(mp)
          && (best == null || mp.getNameCount() >= Path.of(best.mountPoint()).getNameCount())) {
        best = m;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
