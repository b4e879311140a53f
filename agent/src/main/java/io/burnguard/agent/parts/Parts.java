package io.burnguard.agent.parts;

import io.burnguard.agent.parts.PartEvent.Kind;
import io.burnguard.agent.parts.PartRefused.Reason;
import io.burnguard.config.Role;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;

/**
 * The key-parts service the daemon's handlers call (issue 15): every change is checked against the
 * lifecycle, then recorded as an event with the part's new value.
 *
 * <p>Sanitizing follows the burn pipeline's rule "recorded before the device is touched": the
 * SANITIZE_STARTED event (which makes the part RECEIVED) is stored before the first byte is
 * written, and SANITIZED with the certificate only after the file system exists. A cancelled or
 * failed run is recorded as such; a crash leaves STARTED as the last event, and the part RECEIVED.
 */
public final class Parts {
  private final PartsStore store;
  private final DeviceProbe probe;
  private final Sanitizer sanitizer;
  private final PartsPolicy policy;
  private final String tool;
  private final Clock clock;

  /**
   * @param tool the sanitizing tool and version for certificates ("BurnGuard 0.1.0")
   */
  public Parts(
      PartsStore store,
      DeviceProbe probe,
      Sanitizer sanitizer,
      PartsPolicy policy,
      String tool,
      Clock clock) {
    this.store = store;
    this.probe = probe;
    this.sanitizer = sanitizer;
    this.policy = policy;
    this.tool = tool;
    this.clock = clock;
  }

  /** Registers the part on {@code device}, its identity read from the device itself. */
  public Part register(
      String id, Path device, String supplier, String lot, LocalDate received, Actor by)
      throws PartRefused, DeviceRefused, PartsStoreException {
    requireRole(by, Role.ENGINEER, "register parts");
    if (!policy.suppliers().contains(supplier)) {
      throw new PartRefused(
          Reason.UNKNOWN_SUPPLIER,
          "supplier \""
              + supplier
              + "\" is not in parts.suppliers "
              + policy.suppliers()
              + "; use a listed supplier or add it to station.yaml");
    }
    if (store.find(id).isPresent()) {
      throw new PartRefused(Reason.DUPLICATE_ID, "part " + id + " is already registered");
    }
    DeviceInfo d = probe.probe(device);
    if (d.kind() == DeviceKind.PARTITION) {
      throw new DeviceRefused(
          DeviceRefused.Reason.PARTITION, device, d.name() + " is a partition of " + d.disk());
    }
    UsbIdentity usb = probe.usbParent(d).orElse(null);
    Part p = Part.received(id, PartIdentity.of(d, usb), supplier, lot, received);
    options(p); // the label must fit before the part is accepted, not at its first sanitize
    store.append(event(p, Kind.REGISTERED, null, p.state(), by, device.toString()), p);
    return p;
  }

  /** Sanitizes a registered part on {@code device}; returns the certificate. */
  public Certificate sanitize(String id, Path device, Actor by, SanitizeProgress.Listener listener)
      throws PartRefused, DeviceRefused, TransitionRefused, SanitizeException, PartsStoreException {
    requireRole(by, Role.ENGINEER, "sanitize parts");
    Part p = require(id);
    PartLifecycle.requireSanitizable(p);
    SanitizeOptions opts = options(p);
    DeviceInfo d = probe.probe(device);
    probe.requireSafe(d, p.identity().capacityBytes(), p.identity().serial());
    requireSameUsb(p, d);
    Part started = PartLifecycle.sanitizeStarted(p);
    store.append(
        event(p, Kind.SANITIZE_STARTED, p.state(), started.state(), by, device + ""), started);
    SanitizeResult r;
    try {
      r = sanitizer.sanitize(d, opts, listener);
    } catch (SanitizeException e) {
      Kind k =
          e.reason() == SanitizeException.Reason.INTERRUPTED
              ? Kind.SANITIZE_INTERRUPTED
              : Kind.SANITIZE_FAILED;
      // The interrupt stays pending for the caller, but must not cut the record of it short.
      boolean interrupted = Thread.interrupted();
      try {
        store.append(
            event(started, k, started.state(), started.state(), by, e.getMessage()), started);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      throw e;
    }
    Part done = PartLifecycle.sanitized(started);
    Certificate c = Certificate.of(done, device.toString(), r, policy.station(), tool, by);
    store.append(
        event(started, Kind.SANITIZED, started.state(), done.state(), by, c.certificateId()),
        done,
        c);
    return c;
  }

  /** Records a scan: clean, or a detection that sends the part back to RECEIVED. */
  public Part scanned(String id, PartScanReport report, Actor by)
      throws PartRefused, TransitionRefused, PartsStoreException {
    Part p = require(id);
    if (report.clean()) {
      store.append(event(p, Kind.SCANNED_CLEAN, p.state(), p.state(), by, report.summary()), p);
      return p;
    }
    Part after = PartLifecycle.malwareFound(p);
    store.append(
        event(p, Kind.MALWARE_FOUND, p.state(), after.state(), by, report.summary()), after);
    return after;
  }

  /** Installs a sanitized part in the unit {@code barcode}. */
  public Part install(String id, String barcode, Actor by)
      throws PartRefused, TransitionRefused, PartsStoreException {
    requireRole(by, Role.ENGINEER, "install parts");
    Part p = require(id);
    Part after = PartLifecycle.install(p, barcode);
    store.append(event(p, Kind.INSTALLED, p.state(), after.state(), by, "unit " + barcode), after);
    return after;
  }

  /** Takes a sanitized part into use on the line (not built into a unit). */
  public Part use(String id, Actor by) throws PartRefused, TransitionRefused, PartsStoreException {
    requireRole(by, Role.ENGINEER, "take parts into use");
    Part p = require(id);
    Part after = PartLifecycle.use(p);
    store.append(event(p, Kind.IN_USE, p.state(), after.state(), by, ""), after);
    return after;
  }

  /** The engineer's scrap record; the part is SCRAPPED once witnessed. */
  public Part scrap(String id, ScrapMethod method, String note, Actor by)
      throws PartRefused, TransitionRefused, PartsStoreException {
    Part p = require(id);
    Part after = PartLifecycle.scrap(p, new ScrapRecord(method, by, clock.instant(), note));
    store.append(event(p, Kind.SCRAP_RECORDED, p.state(), after.state(), by, method.name()), after);
    return after;
  }

  /** The security witness; makes the part SCRAPPED. */
  public Part witness(String id, String note, Actor by)
      throws PartRefused, TransitionRefused, PartsStoreException {
    Part p = require(id);
    Part after = PartLifecycle.witness(p, new WitnessRecord(by, clock.instant(), note));
    store.append(event(p, Kind.WITNESSED, p.state(), after.state(), by, note), after);
    return after;
  }

  /**
   * A part registered on a USB device must be on the same one (vendor, product, USB serial): a card
   * moved to another reader keeps its block serial but is no longer the device registered.
   */
  private void requireSameUsb(Part p, DeviceInfo d) throws DeviceRefused {
    UsbIdentity registered = p.identity().usb();
    if (registered != null) {
      requireSameUsb(registered, probe.usbParent(d).orElse(null), d.path());
    }
  }

  /** Refuses unless {@code now} is the registered USB device (id and USB serial). */
  static void requireSameUsb(UsbIdentity registered, UsbIdentity now, Path device)
      throws DeviceRefused {
    if (now == null
        || !now.id().equals(registered.id())
        || !java.util.Objects.equals(now.serial(), registered.serial())) {
      throw new DeviceRefused(
          DeviceRefused.Reason.USB_MISMATCH,
          device,
          "it sits on USB "
              + (now == null ? "(no USB device)" : now.describe())
              + ", the registered part on USB "
              + registered.describe());
    }
  }

  private SanitizeOptions options(Part p) throws PartRefused {
    String label = SanitizeOptions.label(policy.labelPattern(), p.id());
    try {
      return SanitizeOptions.of(policy.fileSystem(), label).withVerification(policy.verification());
    } catch (IllegalArgumentException e) {
      throw new PartRefused(Reason.LABEL_INVALID, "part " + p.id() + ": " + e.getMessage());
    }
  }

  private Part require(String id) throws PartRefused, PartsStoreException {
    return store
        .find(id)
        .orElseThrow(
            () ->
                new PartRefused(
                    Reason.UNKNOWN_PART,
                    "no part "
                        + id
                        + " is registered; check the id or register it (parts register)"));
  }

  private static void requireRole(Actor by, Role role, String what) throws PartRefused {
    if (!by.has(role)) {
      throw new PartRefused(
          Reason.WRONG_ROLE,
          by.user() + " may not " + what + ": that needs the " + role.word() + " role");
    }
  }

  private PartEvent event(Part p, Kind k, PartState from, PartState to, Actor by, String detail) {
    return new PartEvent(p.id(), k, from, to, by.user(), clock.instant(), detail);
  }
}
