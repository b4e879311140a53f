package io.burnguard.drivers;

/**
 * Puts one verified image into one device and proves it is there.
 *
 * <p>Contract: {@link #burn} never throws for device, port or protocol trouble; it returns FAILED
 * with the phase and an operator-actionable reason. It returns PASSED only with a read-back whose
 * device checksum equals the image's ({@link BurnOutcome} enforces this). Every wait inside has a
 * deadline taken from the fixture settings or a documented default.
 *
 * <p>A driver reads only the fixture settings and recipe variables its {@link #spec()} declares, so
 * a station.yaml can be checked against it before any burn.
 */
public interface BurnerDriver {
  /** The name fixtures use to select this driver, e.g. {@code uboot-tftp}. */
  String name();

  /** The fixture settings and recipe variables this driver reads. */
  DriverSpec spec();

  BurnOutcome burn(BurnJob job, ProgressListener progress, CancellationToken cancel);
}
