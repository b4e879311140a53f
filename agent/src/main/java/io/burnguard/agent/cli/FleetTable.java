package io.burnguard.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plain aligned table of fleet query rows (columns from the first row). */
final class FleetTable {
  private FleetTable() {}

  static void print(List<Map<String, Object>> rows, PrintWriter out) {
    if (rows.isEmpty()) {
      out.println("(none)");
      return;
    }
    List<String> cols = new ArrayList<>(rows.get(0).keySet());
    int[] w = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      w[i] = cols.get(i).length();
      for (Map<String, Object> r : rows) {
        w[i] = Math.max(w[i], cell(r.get(cols.get(i))).length());
      }
    }
    line(cols.stream().map(c -> (Object) c).toList(), w, out);
    for (Map<String, Object> r : rows) {
      line(cols.stream().map(r::get).toList(), w, out);
    }
  }

  private static void line(List<Object> cells, int[] w, PrintWriter out) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cell(cells.get(i));
      sb.append(c).append(" ".repeat(w[i] - c.length() + (i < cells.size() - 1 ? 2 : 0)));
    }
    out.println(sb.toString().stripTrailing());
  }

  private static String cell(Object o) {
    return o == null ? "-" : o.toString();
  }
}
