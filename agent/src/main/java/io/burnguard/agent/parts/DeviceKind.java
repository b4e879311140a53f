package io.burnguard.agent.parts;

/** What a sanitize or scan target is. */
public enum DeviceKind {
  /** A whole block device (USB stick, SD card, eMMC, disk). */
  BLOCK_DEVICE,
  /** A partition of a block device: sanitizing it would leave the rest of the part untouched. */
  PARTITION,
  /** A loop device backed by a file (tests, images being prepared). */
  LOOP_DEVICE,
  /** A regular file holding a disk image. */
  IMAGE_FILE
}
