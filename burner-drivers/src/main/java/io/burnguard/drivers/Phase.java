package io.burnguard.drivers;

/** The step of a burn, named in progress events and in every failure. */
public enum Phase {
  /** Checking the job and fixture settings before the device is touched. */
  PREPARE,
  /** Opening the fixture's port or network endpoint. */
  CONNECT,
  /** Stopping autoboot and reaching the boot loader's prompt. */
  PROMPT,
  /** Setting up the boot loader (addresses, environment) for the transfer. */
  CONFIGURE,
  /** Moving the image into the device's RAM (YMODEM, TFTP). */
  TRANSFER,
  /** Running the model's recipe that writes RAM to flash. */
  WRITE,
  /** Reading the flashed range back and letting the device compute its checksum. */
  READBACK,
  /** Comparing the device's checksum with the image's on the host. */
  VERIFY
}
