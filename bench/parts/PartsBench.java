import io.burnguard.agent.parts.DeviceInfo;
import io.burnguard.agent.parts.DeviceProbe;
import io.burnguard.agent.parts.FileSystemType;
import io.burnguard.agent.parts.SanitizeOptions;
import io.burnguard.agent.parts.SanitizeProgress;
import io.burnguard.agent.parts.SanitizeResult;
import io.burnguard.agent.parts.Sanitizer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * Issue 15 benchmark, our side: sanitize (Clear + full read-back + mkfs.vfat) of one image file or
 * loop device through the public parts API, as the daemon will call it. Prints one line:
 * "ours SECONDS_OVERWRITE_AND_VERIFY SECONDS_TOTAL HEAP_PEAK_MIB METHOD DIRECT_IO".
 *
 * <p>Run by bench/parts/run.sh: java -Xmx64m -cp "agent/target/burnguard/lib/*"
 * bench/parts/PartsBench.java DEVICE DATADIR
 */
public final class PartsBench {
  public static void main(String[] args) throws Exception {
    // The daemon has logging and JNA loaded long before a sanitize; do the same here so their
    // one-time start-up (about 0.5-1 s on a loaded machine) is not counted as sanitizing time.
    org.slf4j.LoggerFactory.getLogger(PartsBench.class).debug("warm-up");
    com.sun.jna.NativeLibrary.getInstance("c");
    Path device = Path.of(args[0]);
    DeviceProbe probe = DeviceProbe.system(Path.of(args[1]));
    DeviceInfo d = probe.probe(device);
    probe.requireSafe(d, d.sizeBytes(), d.serial());
    long[] formatAt = {0};
    long[] verifyAt = {0};
    long start = System.nanoTime();
    SanitizeResult r =
        new Sanitizer(Clock.systemUTC())
            .sanitize(
                d,
                SanitizeOptions.of(FileSystemType.VFAT, "BGBENCH"),
                p -> {
                  if (p.phase() == SanitizeProgress.Phase.VERIFY && verifyAt[0] == 0) {
                    verifyAt[0] = System.nanoTime();
                  }
                  if (p.phase() == SanitizeProgress.Phase.FORMAT && formatAt[0] == 0) {
                    formatAt[0] = System.nanoTime();
                  }
                });
    long end = System.nanoTime();
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "ours %.3f %.3f %.1f %s %s (overwrite until first verify chunk %.3f s)%n",
        (formatAt[0] - start) / 1e9,
        (end - start) / 1e9,
        heapPeak / 1048576.0,
        r.method(),
        r.directIo() ? "direct" : "buffered",
        (verifyAt[0] - start) / 1e9);
  }
}
