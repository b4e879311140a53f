package io.burnguard.drivers;

import io.burnguard.drivers.uboot.UBootDrivers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Finds a driver by the name a fixture's configuration gives. */
public final class BurnerDrivers {
  private static final Map<String, Function<DriverEnvironment, BurnerDriver>> KNOWN =
      new TreeMap<>(
          Map.of(
              UBootDrivers.SERIAL, UBootDrivers::serial,
              UBootDrivers.TFTP, UBootDrivers::tftp));

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
    Function<DriverEnvironment, BurnerDriver> f = name == null ? null : KNOWN.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown burner driver: found "
              + (name == null ? "no name" : "'" + name + "'")
              + "; known: "
              + String.join(", ", KNOWN.keySet())
              + ". Fix the fixture's driver setting in station.yaml.");
    }
    return f.apply(env);
  }

  /** The known driver names, sorted. */
  public static List<String> names() {
    return List.copyOf(KNOWN.keySet());
  }
}
