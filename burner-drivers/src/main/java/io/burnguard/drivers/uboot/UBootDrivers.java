package io.burnguard.drivers.uboot;

import io.burnguard.drivers.BurnerDriver;
import io.burnguard.drivers.DriverEnvironment;
import io.burnguard.drivers.DriverSpec;

/**
 * The U-Boot drivers.
 *
 * <p>Their fixture settings and recipe variables are declared in {@link #SERIAL_SPEC} and {@link
 * #TFTP_SPEC} and documented in docs/drivers.md.
 */
public final class UBootDrivers {
  /** YMODEM over the console line: slow, needs only the serial cable. */
  public static final String SERIAL = "uboot-serial";

  /** TFTP over the fixture's Ethernet: fast. */
  public static final String TFTP = "uboot-tftp";

  /** What {@link #SERIAL} reads from station.yaml. */
  public static final DriverSpec SERIAL_SPEC = UBootSettings.serial();

  /** What {@link #TFTP} reads from station.yaml. */
  public static final DriverSpec TFTP_SPEC = UBootSettings.tftp();

  private UBootDrivers() {}

  public static BurnerDriver serial(DriverEnvironment env) {
    return new UBootDriver(SERIAL_SPEC, env, new YmodemLoader());
  }

  public static BurnerDriver tftp(DriverEnvironment env) {
    return new UBootDriver(TFTP_SPEC, env, new TftpLoader());
  }
}
