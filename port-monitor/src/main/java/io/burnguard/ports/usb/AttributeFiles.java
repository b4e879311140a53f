package io.burnguard.ports.usb;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * sysfs attribute reads and writes with as few system calls as the safety checks allow, through
 * libc (JNA direct mapping).
 *
 * <p>Design. A read is {@code open(O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)},
 * {@code statx} on the descriptor (not the path: nothing can swap the file between the check and
 * the read), one {@code read} and {@code close}: four calls where {@code Files.isRegularFile} plus
 * a stream took five, two of them on the path. What is not a regular file is absent, as before: a
 * symlink as the last component fails the open (ELOOP), a FIFO is opened without waiting for a
 * writer (O_NONBLOCK) and then skipped, a directory is skipped (a device node, which the kernel's
 * sysfs never holds, is opened without becoming a controlling terminal, then skipped). A read that
 * returns less than both the request and a page is the end of the file: the kernel's sysfs hands
 * out an attribute in one read of up to a page (systemd and USBGuard read attributes with one
 * call), and a regular file returns less than asked only at its end; only a read of a full page or
 * more reads on, so the {@code descriptors} attribute of any size is read whole. A write is {@code
 * open(O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)}, one {@code write}, {@code
 * close}, without O_TRUNC: sysfs passes every write to the attribute's store function whole, from
 * offset 0, and ignores truncation, as USBGuard's {@code SysFSDevice::setAttribute} and the
 * kernel's usbip tools write. In a plain directory (tests, benchmark copies) the value overwrites
 * the start of the old content: {@code 0} over {@code 1\n} reads {@code 0\n}, as sysfs shows it.
 *
 * <p>LP64 only ({@code size_t} as {@code long}), as the uevent socket. libc is the process's (JNA
 * resolves "c" to the global namespace), so umockdev's preloaded wrappers redirect these calls into
 * its testbed as they do the JDK's.
 */
final class AttributeFiles {
  private static final int O_WRONLY = 01;
  private static final int O_NOCTTY = 0400;
  private static final int O_NONBLOCK = 04000;
  private static final int O_NOFOLLOW = noFollow(System.getProperty("os.arch"));
  private static final int O_CLOEXEC = 02000000;
  private static final int READ_FLAGS = O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  private static final int WRITE_FLAGS = O_WRONLY | READ_FLAGS;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int STATX_TYPE = 0x1;
  private static final int STATX_SIZE = 256;
  private static final int STX_MODE = 28;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int EINTR = 4;
  private static final int ENOENT = 2;
  private static final int ENXIO = 6;
  private static final int EACCES = 13;
  private static final int ENOTDIR = 20;
  private static final int EISDIR = 21;
  private static final int ELOOP = 40;
  private static final int PAGE = 4096;
  private static final byte[] EMPTY_PATH = {0};
  private static final Charset PATH_CHARSET = pathCharset();

  /**
   * Native buffers of the calling thread, so a read does not have JNA copy a Java array to native
   * memory and back: one page (and a byte) for {@code read}, one {@code struct statx}.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    final Memory data = new Memory(PAGE + 1);
    final Memory stat = new Memory(STATX_SIZE);
  }

  private AttributeFiles() {}

  /**
   * O_NOFOLLOW's value on {@code arch} (the JVM's {@code os.arch}): the kernel's generic value on
   * x86-64 and RISC-V, another on 64-bit ARM and POWER. The package is architecture-independent,
   * and a wrong value would be another flag (on ARM, 0400000 is O_LARGEFILE) and let a symlink be
   * followed, so an architecture not listed is refused (the port monitor does not start) rather
   * than guessed.
   */
  static int noFollow(String arch) {
    return switch (arch) {
      case "amd64", "x86_64", "riscv64" -> 0400000;
      case "aarch64", "arm64", "ppc64le", "ppc64" -> 0100000;
      default ->
          throw new UnsupportedOperationException(
              "the port monitor does not know O_NOFOLLOW on the "
                  + arch
                  + " architecture (x86-64, ARM64, RISC-V 64 and POWER64 are supported); set ports: mode: off"
                  + " in station.yaml, or run the station on a supported machine");
    };
  }

  /** libc, mapped directly (static natives): much cheaper per call than an interface mapping. */
  private static final class C {
    static {
      Native.register(C.class, NativeLibrary.getInstance("c"));
    }

    static native int open(byte[] path, int flags);

    static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer buffer);

    static native long read(int fd, Pointer buffer, long count);

    static native long write(int fd, byte[] buffer, long count);

    static native int close(int fd);
  }

  /**
   * The bytes of the regular file {@code file}, at most {@code max}; empty when it does not exist
   * or is not a regular file (symlink, FIFO, directory, device, socket).
   *
   * @throws IOException when it cannot be opened or read, or holds more than {@code max} bytes
   */
  static Optional<byte[]> read(Path file, int max) throws IOException {
    int fd = C.open(nulTerminated(file), READ_FLAGS);
    if (fd < 0) {
      int errno = Native.getLastError();
      if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == ENXIO) {
        return Optional.empty();
      }
      throw new IOException("cannot open " + file + ": " + describe(errno));
    }
    try {
      if (!isRegular(fd, file)) {
        return Optional.empty();
      }
      return Optional.of(readAll(fd, file, max));
    } finally {
      C.close(fd);
    }
  }

  /** Writes {@code value} to the existing attribute {@code file} (never creates it). */
  static void write(Path file, byte[] value) throws IOException {
    int fd = C.open(nulTerminated(file), WRITE_FLAGS);
    if (fd < 0) {
      throw new IOException(
          "cannot open " + file + " for writing: " + describe(Native.getLastError()));
    }
    try {
      long n;
      do {
        n = C.write(fd, value, value.length);
      } while (n < 0 && Native.getLastError() == EINTR);
      if (n != value.length) {
        throw new IOException(
            "writing "
                + value.length
                + " bytes to "
                + file
                + " wrote "
                + (n < 0 ? "none: " + describe(Native.getLastError()) : n + " bytes"));
      }
    } finally {
      C.close(fd);
    }
  }

  private static boolean isRegular(int fd, Path file) throws IOException {
    Memory stx = SCRATCH.get().stat;
    if (C.statx(fd, EMPTY_PATH, AT_EMPTY_PATH, STATX_TYPE, stx) != 0) {
      throw new IOException("cannot stat " + file + ": " + describe(Native.getLastError()));
    }
    return (stx.getShort(STX_MODE) & S_IFMT) == S_IFREG;
  }

  private static byte[] readAll(int fd, Path file, int max) throws IOException {
    Memory scratch = SCRATCH.get().data;
    byte[] buffer = new byte[Math.min(max, PAGE) + 1];
    int length = 0;
    while (true) {
      int want = (int) Math.min(buffer.length - length, scratch.size());
      long n;
      do {
        n = C.read(fd, scratch, want);
      } while (n < 0 && Native.getLastError() == EINTR);
      if (n < 0) {
        throw new IOException("cannot read " + file + ": " + describe(Native.getLastError()));
      }
      scratch.read(0, buffer, length, (int) n);
      length += (int) n;
      if (length > max) {
        throw new IOException(
            file + " is longer than " + max + " bytes; expected a sysfs attribute");
      }
      if (n == 0 || (n < want && n < PAGE)) {
        return Arrays.copyOf(buffer, length);
      }
      if (length == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min((long) max + 1, 2L * buffer.length));
      }
    }
  }

  /**
   * errno with its meaning for the usual cases, e.g. {@code errno 40 (a symlink; not followed)}.
   */
  static String describe(int errno) {
    String meaning =
        switch (errno) {
          case ENOENT -> " (no such file)";
          case ENXIO -> " (a FIFO without a reader or a socket; expected a sysfs attribute)";
          case EACCES -> " (permission denied)";
          case ENOTDIR -> " (a path component is not a directory)";
          case ELOOP -> " (a symlink; symlinks are not followed)";
          case EISDIR -> " (a directory; expected a sysfs attribute)";
          default -> "";
        };
    return "errno " + errno + meaning;
  }

  private static byte[] nulTerminated(Path file) {
    byte[] name = file.toString().getBytes(PATH_CHARSET);
    return Arrays.copyOf(name, name.length + 1);
  }

  private static Charset pathCharset() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }
}
