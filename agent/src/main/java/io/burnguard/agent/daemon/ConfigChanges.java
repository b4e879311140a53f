package io.burnguard.agent.daemon;

import io.burnguard.config.StationConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a reload changes, in words: the settings that cannot change without a restart, and a summary
 * of the others for the reply and the audit record.
 */
final class ConfigChanges {
  private ConfigChanges() {}

  /**
   * The restart-only settings that differ, e.g. {@code station.dataDir (/a -> /b)}. The database,
   * ledger, image cache and station key live in {@code dataDir}, the control socket is bound once,
   * and {@code id} is written into every ledger record: changing any of them while running would
   * split the station's records or strand its clients.
   */
  static List<String> restartOnly(StationConfig was, StationConfig now) {
    StationConfig.Station a = was.station();
    StationConfig.Station b = now.station();
    List<String> out = new ArrayList<>();
    differs(out, "station.id", a.id(), b.id());
    differs(out, "station.dataDir", a.dataDir(), b.dataDir());
    differs(out, "station.socket", a.socket(), b.socket());
    differs(out, "station.socketGroup", a.socketGroup(), b.socketGroup());
    return out;
  }

  private static void differs(List<String> out, String key, Object was, Object now) {
    if (!Objects.equals(was, now)) {
      out.add(key + " (" + was + " -> " + now + ")");
    }
  }

  /**
   * Settings a reload accepts but that parts of the daemon built once at start keep using until a
   * restart, compared with {@code started} (the configuration the daemon started with, not the
   * previous reload's): the period of the scheduled key-parts inventory ({@code
   * parts.inventoryCheck}), the {@code scanner} that key-parts scans use, the fleet shipper ({@code
   * fleet}), the port monitor's mode and syslog target ({@code ports.mode}, {@code ports.syslog}).
   * Burns, orders, firmware requests, the trust refresher and the rest of {@code parts} follow
   * every reload; {@code ports.rulesFile} is read again by {@code policy reload}.
   */
  static List<String> pendingRestart(StationConfig started, StationConfig now) {
    List<String> out = new ArrayList<>();
    key(
        out,
        "parts.inventoryCheck",
        started.parts().inventoryCheck(),
        now.parts().inventoryCheck());
    if (!Objects.equals(started.scanner(), now.scanner())) {
      out.add("scanner changed (key-parts scans; burns use the new one)");
    }
    section(out, "fleet", started.fleet(), now.fleet());
    key(out, "ports.mode", started.ports().mode(), now.ports().mode());
    key(out, "ports.syslog", started.ports().syslog(), now.ports().syslog());
    return out;
  }

  private static void key(List<String> out, String name, Object was, Object now) {
    if (!Objects.equals(was, now)) {
      out.add(name + " changed");
    }
  }

  /** The sections and entries that differ, e.g. {@code fixtures.fx1 changed}; empty when none. */
  static List<String> summary(StationConfig was, StationConfig now) {
    List<String> out = new ArrayList<>();
    section(out, "roles", was.roles(), now.roles());
    section(out, "server", was.server(), now.server());
    section(out, "trust", was.trust(), now.trust());
    section(out, "scanner", was.scanner(), now.scanner());
    entries(out, "fixtures", byId(was.fixtures()), byId(now.fixtures()));
    entries(out, "models", orEmpty(was.models()), orEmpty(now.models()));
    section(out, "ports", was.ports(), now.ports());
    section(out, "retention", was.retention(), now.retention());
    section(out, "parts", was.parts(), now.parts());
    section(out, "fleet", was.fleet(), now.fleet());
    return out;
  }

  private static void section(List<String> out, String name, Object was, Object now) {
    if (!Objects.equals(was, now)) {
      out.add(name + " changed");
    }
  }

  private static <T> void entries(
      List<String> out, String section, Map<String, T> was, Map<String, T> now) {
    Set<String> keys = new TreeSet<>(was.keySet());
    keys.addAll(now.keySet());
    for (String k : keys) {
      T a = was.get(k);
      T b = now.get(k);
      if (a == null) {
        out.add(section + "." + k + " added");
      } else if (b == null) {
        out.add(section + "." + k + " removed");
      } else if (!equal(a, b)) {
        out.add(section + "." + k + " changed");
      }
    }
  }

  /** Records compare by value, except a regular expression, which compares by its text. */
  private static boolean equal(Object a, Object b) {
    if (a instanceof StationConfig.Model x && b instanceof StationConfig.Model y) {
      return Objects.equals(pattern(x), pattern(y))
          && Objects.equals(x.checkDigit(), y.checkDigit())
          && Objects.equals(x.recipe(), y.recipe());
    }
    return Objects.equals(a, b);
  }

  private static String pattern(StationConfig.Model m) {
    return m.barcodeRule() == null ? null : m.barcodeRule().pattern();
  }

  private static Map<String, StationConfig.Fixture> byId(List<StationConfig.Fixture> fixtures) {
    Map<String, StationConfig.Fixture> m = new LinkedHashMap<>();
    if (fixtures != null) {
      fixtures.forEach(f -> m.put(f.id(), f));
    }
    return m;
  }

  private static <T> Map<String, T> orEmpty(Map<String, T> m) {
    return m == null ? Map.of() : m;
  }
}
