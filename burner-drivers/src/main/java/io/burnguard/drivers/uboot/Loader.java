package io.burnguard.drivers.uboot;

/** Gets the image into the board's RAM at {@code ${loadaddr}}: the part that differs by driver. */
interface Loader {
  /** Checks the fixture settings this loader needs; runs before the device is touched. */
  void check(Burn burn) throws BurnFailure;

  /** CONFIGURE and TRANSFER phases. */
  void load(Burn burn) throws BurnFailure;
}
