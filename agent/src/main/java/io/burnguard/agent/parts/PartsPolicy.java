package io.burnguard.agent.parts;

import io.burnguard.config.StationConfig;
import java.util.List;

/**
 * The station's parts settings as the parts service uses them.
 *
 * @param station the station id, written on certificates
 * @param suppliers the allowed suppliers
 * @param fileSystem the file system a sanitized part gets
 * @param labelPattern the volume label pattern with {@code ${part}}
 * @param verification the read-back
 */
public record PartsPolicy(
    String station,
    List<String> suppliers,
    FileSystemType fileSystem,
    String labelPattern,
    Verification verification) {
  public PartsPolicy {
    suppliers = List.copyOf(suppliers);
  }

  /** From station.yaml. */
  public static PartsPolicy of(StationConfig c) {
    StationConfig.Parts p = c.parts();
    return new PartsPolicy(
        c.station().id(),
        p.suppliers(),
        p.fileSystem() == StationConfig.PartsFileSystem.EXFAT
            ? FileSystemType.EXFAT
            : FileSystemType.VFAT,
        p.labelPattern(),
        p.verification() == StationConfig.PartsVerification.SAMPLE
            ? Verification.sample(p.samplePercent())
            : Verification.full());
  }
}
