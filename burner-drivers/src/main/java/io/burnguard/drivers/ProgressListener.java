package io.burnguard.drivers;

/**
 * Receives progress from a driver, on the driver's thread. Must return quickly; a listener that
 * throws is logged and ignored, so a broken display never fails a burn.
 */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = p -> {};

  void onProgress(BurnProgress progress);
}
