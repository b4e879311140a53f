package io.burnguard.drivers.uboot;

import io.burnguard.drivers.BurnerDriver;
import io.burnguard.drivers.DriverEnvironment;

/**
 * The U-Boot drivers.
 *
 * <p>Fixture settings common to both: {@code port} (console path, required), {@code baud} (115200),
 * {@code prompt} ("=> "), {@code stop_keys} ("\x03"), {@code boot_timeout_s} (30), {@code
 * command_timeout_s} (20), {@code write_timeout_s} (300), {@code loadaddr} (0x40200000), {@code
 * readaddr} (none), {@code error_pattern} ({@link UBootConsole#DEFAULT_ERROR_PATTERN}).
 */
public final class UBootDrivers {
  /** YMODEM over the console line: slow, needs only the serial cable. */
  public static final String SERIAL = "uboot-serial";

  /** TFTP over the fixture's Ethernet: fast. */
  public static final String TFTP = "uboot-tftp";

  private UBootDrivers() {}

  public static BurnerDriver serial(DriverEnvironment env) {
    return new UBootDriver(SERIAL, env, new YmodemLoader());
  }

  public static BurnerDriver tftp(DriverEnvironment env) {
    return new UBootDriver(TFTP, env, new TftpLoader());
  }
}
