import io.burnguard.config.StationConfig.PortMode;
import io.burnguard.ports.PortEvent;
import io.burnguard.ports.PortMonitor;
import io.burnguard.ports.hotplug.UsbHotplug;
import io.burnguard.ports.policy.PolicyGenerator;
import io.burnguard.ports.policy.UsbPolicy;
import io.burnguard.ports.usb.UsbInventory;
import java.nio.file.Path;
import java.util.List;

/**
 * The port monitor as the daemon runs it (PortMonitor + UsbHotplug, enforce mode), for the issue 14
 * benchmark (bench/ports/run.sh).
 *
 * <pre>
 * PortsProbe hotplug RULES            start, print "ready", decide uevents until stdin closes
 * PortsProbe scan SYSFS RULES ROUNDS  per round: a new monitor's start() (inventory scan, decision
 *                                     and authorized writes of every present device), in ms
 * PortsProbe generate SYSFS ROUNDS    per round: inventory scan + generate-policy text, in ms
 * </pre>
 */
public final class PortsProbe {
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "hotplug" -> hotplug(Path.of(a[1]));
      case "scan" -> scan(Path.of(a[1]), Path.of(a[2]), Integer.parseInt(a[3]));
      case "generate" -> generate(Path.of(a[1]), Integer.parseInt(a[2]));
      default -> throw new IllegalArgumentException("unknown mode " + a[0]);
    }
  }

  private static void hotplug(Path rules) throws Exception {
    String inner = System.getProperty("probe.inner");
    long[] received = new long[2];
    List<String> times = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    if (inner != null) {
      // the benchmark ends this process with SIGTERM
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      java.nio.file.Files.write(Path.of(inner), List.copyOf(times));
                    } catch (java.io.IOException e) {
                      e.printStackTrace();
                    }
                  }));
    }
    PortMonitor m =
        PortMonitor.builder()
            .mode(PortMode.ENFORCE)
            .policy(UsbPolicy.load(rules))
            .listener(
                e -> {
                  if (inner != null && e.kind() == PortEvent.Kind.INSERTED) {
                    long now = System.nanoTime();
                    long cpu = CPU.getCurrentThreadCpuTime();
                    times.add(
                        String.format(
                            "%.1f %.1f", (now - received[0]) / 1e3, (cpu - received[1]) / 1e3));
                  }
                })
            .build();
    try (UsbHotplug h = inner == null ? UsbHotplug.open(m) : timed(m, received)) {
      List<PortEvent> present = h.start();
      System.out.println("ready " + present.size());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the benchmark closes stdin
      }
    }
  }

  /**
   * The daemon's hotplug reader on the same netlink socket, with the time each receive returned
   * noted: -Dprobe.inner=FILE writes, per inserted device, the microseconds from recvmsg's return
   * to the monitor's event (after the authorized write), i.e. the part of the latency spent in
   * the JVM, and the reading thread's CPU time in between. Reaches the package-private source
   * through reflection (a benchmark, not the API).
   */
  private static UsbHotplug timed(PortMonitor m, long[] received) throws Exception {
    Class<?> netlink = Class.forName("io.burnguard.ports.hotplug.NetlinkUeventSource");
    Class<?> source = Class.forName("io.burnguard.ports.hotplug.UeventSource");
    java.lang.reflect.Method open = netlink.getDeclaredMethod("open", int.class);
    open.setAccessible(true);
    Object real = open.invoke(null, 250);
    java.util.Map<java.lang.reflect.Method, java.lang.reflect.Method> targets =
        new java.util.concurrent.ConcurrentHashMap<>();
    Object wrapped =
        java.lang.reflect.Proxy.newProxyInstance(
            source.getClassLoader(),
            new Class<?>[] {source},
            (proxy, method, args) -> {
              java.lang.reflect.Method target =
                  targets.computeIfAbsent(method, ProbeReflection::accessible);
              try {
                Object r = target.invoke(real, args);
                received[0] = System.nanoTime();
                received[1] = CPU.getCurrentThreadCpuTime();
                return r;
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
    java.lang.reflect.Constructor<UsbHotplug> c =
        UsbHotplug.class.getDeclaredConstructor(PortMonitor.class, source);
    c.setAccessible(true);
    return c.newInstance(m, wrapped);
  }

  private static void scan(Path sysfs, Path rules, int rounds) throws Exception {
    UsbPolicy policy = UsbPolicy.load(rules);
    for (int r = 0; r < rounds; r++) {
      PortMonitor m =
          PortMonitor.builder().sysfsRoot(sysfs).mode(PortMode.ENFORCE).policy(policy).build();
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      List<PortEvent> events = m.start();
      long t1 = System.nanoTime();
      long c1 = CPU.getCurrentThreadCpuTime();
      System.out.printf("%.3f %d %.3f%n", (t1 - t0) / 1e6, events.size(), (c1 - c0) / 1e6);
    }
  }

  private static void generate(Path sysfs, int rounds) throws Exception {
    for (int r = 0; r < rounds; r++) {
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      String text =
          PolicyGenerator.generate(
              UsbInventory.at(sysfs).scan().devices(), PolicyGenerator.Options.defaults());
      long t1 = System.nanoTime();
      long c1 = CPU.getCurrentThreadCpuTime();
      System.out.printf(
          "%.3f %d %.3f%n", (t1 - t0) / 1e6, text.split("\n").length, (c1 - c0) / 1e6);
    }
  }

  /** The source's own method for an interface method, made accessible once. */
  private static final class ProbeReflection {
    static java.lang.reflect.Method accessible(java.lang.reflect.Method m) {
      try {
        java.lang.reflect.Method t =
            Class.forName("io.burnguard.ports.hotplug.NetlinkUeventSource")
                .getDeclaredMethod(m.getName(), m.getParameterTypes());
        t.setAccessible(true);
        return t;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
