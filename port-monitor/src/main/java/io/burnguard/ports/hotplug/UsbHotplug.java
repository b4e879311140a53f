package io.burnguard.ports.hotplug;

import io.burnguard.ports.PortEvent;
import io.burnguard.ports.PortMonitor;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds kernel uevents to a {@link PortMonitor}.
 *
 * <p>Design. The netlink socket is opened in {@link #open}, before {@link #start} runs the
 * monitor's initial scan, so a device plugged in during the scan is not missed: its uevent waits in
 * the socket. Only messages whose sender is the kernel (netlink port id 0) are read; udevd's
 * re-broadcasts and any other sender are dropped and counted, as are malformed messages (see {@link
 * UeventParser}). When the kernel reports lost messages (ENOBUFS), the monitor rescans sysfs. Only
 * whole USB devices are handled: {@code add} decides, {@code remove} forgets; {@code change} is
 * ignored, since writing {@code authorized} itself causes change events. If the reader fails, new
 * devices stay unauthorized (authorized_default=0) and {@link #failure} says why.
 *
 * <p>In a umockdev testbed ({@code UMOCKDEV_DIR} set, which only umockdev's wrappers do) uevents
 * arrive framed as libudev frames them, from port id 0; they are then parsed with {@link
 * UeventParser#parseUdevFramed}. A station never sets that variable, so there only the kernel's own
 * framing is read.
 */
public final class UsbHotplug implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsbHotplug.class);
  private static final int RECEIVE_TIMEOUT_MILLIS = 250;

  private final PortMonitor monitor;
  private final UeventSource source;
  private final AtomicLong foreign = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final boolean testbed;
  private volatile boolean running;
  private Thread thread;

  UsbHotplug(PortMonitor monitor, UeventSource source) {
    this(monitor, source, System.getenv("UMOCKDEV_DIR") != null);
  }

  /**
   * @param testbed true in a umockdev testbed: messages from port id 0 framed as libudev frames
   *     them (umockdev's emulation) are accepted too; the kernel never frames them so
   */
  UsbHotplug(PortMonitor monitor, UeventSource source, boolean testbed) {
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    this.source = Objects.requireNonNull(source, "source");
    this.testbed = testbed;
    if (testbed) {
      LOG.warn("running in a umockdev testbed (UMOCKDEV_DIR is set): udev-framed uevents accepted");
    }
  }

  /** Opens the kernel's uevent socket for {@code monitor}; call {@link #start} next. */
  public static UsbHotplug open(PortMonitor monitor) throws IOException {
    return new UsbHotplug(monitor, NetlinkUeventSource.open(RECEIVE_TIMEOUT_MILLIS));
  }

  /** Runs the monitor's initial scan, then reads uevents on a daemon thread. */
  public synchronized List<PortEvent> start() throws IOException {
    if (thread != null) {
      throw new IllegalStateException("hotplug already started");
    }
    List<PortEvent> present = monitor.start();
    running = true;
    thread = new Thread(this::loop, "usb-hotplug");
    thread.setDaemon(true);
    thread.start();
    return present;
  }

  /** Messages dropped because they did not come from the kernel. */
  public long foreignMessages() {
    return foreign.get();
  }

  /** Messages dropped because they were malformed. */
  public long malformedMessages() {
    return malformed.get();
  }

  /** Why the reader stopped, if it failed. */
  public java.util.Optional<Throwable> failure() {
    return java.util.Optional.ofNullable(failure.get());
  }

  private void loop() {
    try {
      while (running) {
        handle(source.receive());
      }
    } catch (IOException | RuntimeException e) {
      failure.set(e);
      LOG.error("USB hotplug reader stopped; new devices stay unauthorized until restart", e);
    }
  }

  /** Handles one receive; returns the monitor's events (empty when dropped or ignored). */
  List<PortEvent> handle(UeventSource.Received r) throws IOException {
    if (r.timeout()) {
      return List.of();
    }
    if (r.overflow()) {
      LOG.warn("kernel dropped uevents (ENOBUFS); rescanning USB devices");
      return monitor.rescan();
    }
    if (r.senderPid() != 0) {
      foreign.incrementAndGet();
      LOG.debug("dropped a netlink message from port id {} (not the kernel)", r.senderPid());
      return List.of();
    }
    Uevent e;
    try {
      e =
          testbed && startsWithLibudev(r.data())
              ? UeventParser.parseUdevFramed(r.data(), r.length())
              : UeventParser.parse(r.data(), r.length());
    } catch (MalformedUeventException bad) {
      malformed.incrementAndGet();
      LOG.warn("dropped a malformed uevent: {}", bad.getMessage());
      return List.of();
    }
    if (!e.isUsbDevice()) {
      return List.of();
    }
    return switch (e.action()) {
      case "add" -> List.of(monitor.deviceAdded(e.devpath()));
      case "remove" -> List.of(monitor.deviceRemoved(e.devpath()));
      default -> List.of();
    };
  }

  private static boolean startsWithLibudev(byte[] data) {
    return data.length >= 8
        && new String(data, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1).equals("libudev\0");
  }

  /** Stops the reader (within the receive timeout) and closes the socket. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    if (t != null) {
      try {
        t.join(10L * RECEIVE_TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    source.close();
  }
}
