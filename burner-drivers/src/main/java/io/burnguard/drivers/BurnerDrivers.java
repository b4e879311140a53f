package io.burnguard.drivers;

import io.burnguard.drivers.uboot.UBootDrivers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/** Finds a driver, or what it reads from station.yaml, by the name a fixture gives. */
public final class BurnerDrivers {
  /** A known driver: its declaration and how to make one. */
  private record Known(DriverSpec spec, Function<DriverEnvironment, BurnerDriver> make) {}

  private static final Map<String, Known> KNOWN =
      new TreeMap<>(
          Map.of(
              UBootDrivers.SERIAL, new Known(UBootDrivers.SERIAL_SPEC, UBootDrivers::serial),
              UBootDrivers.TFTP, new Known(UBootDrivers.TFTP_SPEC, UBootDrivers::tftp)));

  private BurnerDrivers() {}

  /** The driver with that name, using the real clock, serial ports and sockets. */
  public static BurnerDriver named(String name) {
    return named(name, DriverEnvironment.system());
  }

  /**
   * The driver with that name.
   *
   * @throws IllegalArgumentException naming what was found and the known names
   */
  public static BurnerDriver named(String name, DriverEnvironment env) {
    Known k = name == null ? null : KNOWN.get(name);
    if (k == null) {
      throw new IllegalArgumentException(
          "unknown burner driver: found "
              + (name == null ? "no name" : "'" + name + "'")
              + "; known: "
              + String.join(", ", KNOWN.keySet())
              + ". Fix the fixture's driver setting in station.yaml.");
    }
    return k.make().apply(env);
  }

  /** What the driver with that name reads from station.yaml; empty when there is none. */
  public static Optional<DriverSpec> spec(String name) {
    return Optional.ofNullable(name == null ? null : KNOWN.get(name)).map(Known::spec);
  }

  /** The declarations of every known driver, sorted by name. */
  public static List<DriverSpec> specs() {
    return KNOWN.values().stream().map(Known::spec).toList();
  }

  /** The known driver names, sorted. */
  public static List<String> names() {
    return List.copyOf(KNOWN.keySet());
  }
}
