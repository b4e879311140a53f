package io.burnguard.agent.architecture;

import io.burnguard.agent.architecture.SourceScanner.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One-way layers: a package may refer to packages of its own layer or of layers below it, never
 * above. Packages are named relative to {@link SourceScanner#ROOT}; a layer entry also covers its
 * sub-packages ({@code vetting} covers {@code vetting.fetch}). A package in no layer is itself a
 * violation, so a new package has to be placed on purpose. Within a layer, packages may refer to
 * each other but not in a cycle.
 *
 * @param layers top first
 */
record LayerRules(List<Set<String>> layers) {
  LayerRules {
    layers = List.copyOf(layers);
  }

  /** Every broken rule, one sentence each; empty when the references obey the layers. */
  List<String> violations(List<Reference> refs) {
    List<String> found = new ArrayList<>();
    Set<String> unplaced = new TreeSet<>();
    for (Reference r : refs) {
      int from = layerOf(r.from());
      int to = layerOf(r.to());
      if (from < 0) {
        unplaced.add(r.from());
      }
      if (to < 0) {
        unplaced.add(r.to());
      }
      if (from >= 0 && to >= 0 && to < from) {
        found.add(upward(r, from, to));
      }
    }
    unplaced.forEach(
        p -> found.add("package " + p + " is in no layer; add it to the layers of LayersTest"));
    cycle(refs).ifPresent(found::add);
    return found;
  }

  private String upward(Reference r, int from, int to) {
    return r.file()
        + ":"
        + r.line()
        + ": "
        + r.from()
        + " (layer "
        + layers.get(from)
        + ") refers to "
        + r.to()
        + " (layer "
        + layers.get(to)
        + ", above it); move what both need into a package of the lower layer (e.g. contract)";
  }

  /** The index of the layer holding {@code qualified}, top first, or -1. */
  int layerOf(String qualified) {
    if (!qualified.startsWith(SourceScanner.ROOT + ".")) {
      return -1;
    }
    String p = qualified.substring(SourceScanner.ROOT.length() + 1);
    for (int i = 0; i < layers.size(); i++) {
      for (String entry : layers.get(i)) {
        if (p.equals(entry) || p.startsWith(entry + ".")) {
          return i;
        }
      }
    }
    return -1;
  }

  /** A package cycle, as "a -> b -> a" with the file of each step, if there is one. */
  static java.util.Optional<String> cycle(List<Reference> refs) {
    Map<String, Map<String, Reference>> edges = new TreeMap<>();
    for (Reference r : refs) {
      edges.computeIfAbsent(r.from(), k -> new TreeMap<>()).putIfAbsent(r.to(), r);
    }
    Map<String, Integer> state = new HashMap<>();
    for (String start : edges.keySet()) {
      List<Reference> path = new ArrayList<>();
      if (visit(start, edges, state, path)) {
        return java.util.Optional.of(describe(path));
      }
    }
    return java.util.Optional.empty();
  }

  /** Depth-first search; state 1 = on the current path, 2 = done. */
  private static boolean visit(
      String p,
      Map<String, Map<String, Reference>> edges,
      Map<String, Integer> state,
      List<Reference> path) {
    Integer s = state.get(p);
    if (s != null) {
      return s == 1;
    }
    state.put(p, 1);
    for (Reference r : edges.getOrDefault(p, Map.of()).values()) {
      path.add(r);
      if (visit(r.to(), edges, state, path)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    state.put(p, 2);
    return false;
  }

  private static String describe(List<Reference> path) {
    String target = path.get(path.size() - 1).to();
    int start = 0;
    while (!path.get(start).from().equals(target)) {
      start++;
    }
    StringBuilder sb = new StringBuilder("package cycle: ").append(target);
    for (Reference r : path.subList(start, path.size())) {
      sb.append(" -> ").append(r.to()).append(" (").append(r.file()).append(':').append(r.line());
      sb.append(')');
    }
    return sb.append("; one of these references must go").toString();
  }
}
