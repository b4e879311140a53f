package io.burnguard.ports.serial;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches fixture serial ports for use by any process other than this one (issue 14): inotify
 * reports every open of a watched port node, then a {@code /proc} scan names who holds it (PID,
 * command line, user). The ports are never opened to watch them. A process already holding a port
 * when watching starts is reported too.
 *
 * <p>An open by a process that closes before the scan cannot be named; it is reported with no
 * users, since the open itself already happened.
 */
public final class SerialWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SerialWatch.class);

  /** Receives every foreign use, on the watcher's thread. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param name the port's name (the fixture id)
     * @param device the port's real path
     * @param users the processes other than this one that newly hold it; empty when it was closed
     *     before it could be named
     * @param atStart true for processes that already held the port when watching started
     */
    void foreignUse(String name, Path device, List<PortUser> users, boolean atStart);
  }

  private final Inotify inotify;
  private final ProcScan proc;
  private final Listener listener;
  private final Map<Integer, Map.Entry<String, Path>> watches = new HashMap<>();
  private final Map<Path, java.util.Set<Long>> known = new HashMap<>();
  private final List<String> unwatched = new java.util.ArrayList<>();
  private final long self = ProcessHandle.current().pid();
  private volatile boolean running = true;
  private final Thread thread;

  private SerialWatch(Inotify inotify, ProcScan proc, Listener listener) {
    this.inotify = inotify;
    this.proc = proc;
    this.listener = listener;
    this.thread = new Thread(this::loop, "serial-watch");
    this.thread.setDaemon(true);
  }

  /**
   * Watches {@code ports} (name to path; symlinks such as {@code /dev/serial/by-id/...} are
   * resolved to the device node) and starts the watcher thread.
   *
   * @throws IOException when inotify is unavailable; a port that cannot be watched (missing node)
   *     is logged and listed by {@link #unwatched}
   */
  public static SerialWatch start(Map<String, Path> ports, Path procRoot, Listener listener)
      throws IOException {
    SerialWatch w =
        new SerialWatch(Inotify.open(), new ProcScan(procRoot), Objects.requireNonNull(listener));
    for (Map.Entry<String, Path> e : ports.entrySet()) {
      try {
        Path real = e.getValue().toRealPath();
        int wd = w.inotify.watchOpens(real.toString());
        w.watches.put(wd, Map.entry(e.getKey(), real));
      } catch (IOException missing) {
        String why = e.getKey() + " (" + e.getValue() + "): " + missing.getMessage();
        w.unwatched.add(why);
        LOG.warn("serial port {} is not watched", why);
      }
    }
    w.watches.values().forEach(v -> w.check(v.getKey(), v.getValue(), false));
    w.thread.start();
    return w;
  }

  private void loop() {
    try {
      while (running) {
        for (int wd : inotify.await(250)) {
          Map.Entry<String, Path> port = watches.get(wd);
          if (port != null) {
            check(port.getKey(), port.getValue(), true);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("serial port watcher stopped; foreign use is no longer reported", e);
    }
  }

  /** Ports that could not be watched (missing node), with the reason. */
  public List<String> unwatched() {
    return List.copyOf(unwatched);
  }

  /**
   * Reports the holders that were not holding the port at the last check. An open whose process
   * closed before the scan is reported without users, unless this process holds the port (its own
   * open, a burn).
   */
  private void check(String name, Path device, boolean opened) {
    List<PortUser> all = proc.openers(device);
    java.util.Set<Long> before = known.getOrDefault(device, java.util.Set.of());
    java.util.Set<Long> now = new java.util.HashSet<>();
    all.forEach(u -> now.add(u.pid()));
    known.put(device, now);
    List<PortUser> fresh =
        all.stream().filter(u -> u.pid() != self && !before.contains(u.pid())).toList();
    if (!fresh.isEmpty()) {
      listener.foreignUse(name, device, fresh, !opened);
    } else if (opened && !now.contains(self) && now.equals(before)) {
      listener.foreignUse(name, device, List.of(), false);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inotify.close();
  }
}
