package io.burnguard.agent.parts;

/** The file system a sanitized part is formatted with (station.yaml {@code parts.fileSystem}). */
public enum FileSystemType {
  /** FAT (FAT12/16/32 chosen by size) with {@code mkfs.vfat} from dosfstools. */
  VFAT("mkfs.vfat"),
  /** exFAT with {@code mkfs.exfat} from exfatprogs. */
  EXFAT("mkfs.exfat");

  private final String mkfs;

  FileSystemType(String mkfs) {
    this.mkfs = mkfs;
  }

  /** The formatting program. */
  public String mkfs() {
    return mkfs;
  }
}
