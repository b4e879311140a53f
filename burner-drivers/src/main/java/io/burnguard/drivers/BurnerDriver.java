package io.burnguard.drivers;

/**
 * Puts one verified image into one device and proves it is there.
 *
 * <p>Contract: {@link #burn} never throws for device, port or protocol trouble; it returns FAILED
 * with the phase and an operator-actionable reason. It returns PASSED only with a read-back whose
 * device checksum equals the image's ({@link BurnOutcome} enforces this). Every wait inside has a
 * deadline taken from the fixture settings or a documented default.
 */
public interface BurnerDriver {
  /** The name fixtures use to select this driver, e.g. {@code uboot-tftp}. */
  String name();

  BurnOutcome burn(BurnJob job, ProgressListener progress, CancellationToken cancel);
}
