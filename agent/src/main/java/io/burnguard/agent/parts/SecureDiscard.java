package io.burnguard.agent.parts;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purge by {@code BLKSECDISCARD} (linux/fs.h {@code _IO(0x12,125)}): the block layer asks the
 * device to discard the range and erase every copy it holds, including remapped blocks that an
 * overwrite cannot reach (eMMC/SD secure trim and secure erase). Few devices support it and the
 * kernel answers EOPNOTSUPP for the rest (loop devices, most USB sticks); then Clear is used. A
 * device that claims success is not believed either: the caller reads it back and requires zeros.
 */
final class SecureDiscard {
  private static final Logger log = LoggerFactory.getLogger(SecureDiscard.class);
  private static final NativeLong BLKSECDISCARD = new NativeLong(0x127DL);
  private static final int O_RDWR = 2;
  private static final int O_CLOEXEC = 0x80000;

  /** The few libc calls needed. */
  interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, long[] range) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private SecureDiscard() {}

  /**
   * Asks the device to securely discard {@code [0, size)}.
   *
   * @return true if the kernel and device accepted; false if unsupported or it failed
   */
  static boolean tryDiscard(Path device, long size) {
    LibC libc;
    try {
      libc = Native.load("c", LibC.class);
    } catch (UnsatisfiedLinkError e) {
      log.info("libc not loadable for BLKSECDISCARD ({}); Clear will be used", e.toString());
      return false;
    }
    int fd;
    try {
      fd = libc.open(device.toString(), O_RDWR | O_CLOEXEC);
    } catch (LastErrorException e) {
      log.info("{}: cannot open for BLKSECDISCARD (errno {})", device, e.getErrorCode());
      return false;
    }
    try {
      libc.ioctl(fd, BLKSECDISCARD, new long[] {0, size});
      return true;
    } catch (LastErrorException e) {
      log.info(
          "{}: BLKSECDISCARD not supported (errno {}); Clear will be used",
          device,
          e.getErrorCode());
      return false;
    } finally {
      try {
        libc.close(fd);
      } catch (LastErrorException e) {
        log.warn("{}: close failed after BLKSECDISCARD (errno {})", device, e.getErrorCode());
      }
    }
  }
}
