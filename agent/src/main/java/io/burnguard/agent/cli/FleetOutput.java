package io.burnguard.agent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.burnguard.agent.fleet.RowSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fleet query rows as a table, a JSON array or CSV (RFC 4180), the output styles of the station
 * commands. JSON and CSV stream row by row (a recall of any size in constant memory); the table
 * needs its column widths, so it holds the rows until {@link #end}.
 *
 * <p>Threat: barcodes, operators and alert messages come from stations and end up in terminals and
 * spreadsheets: table cells go through {@link Terminal#safe}, and a CSV cell a spreadsheet would
 * run as a formula ({@code = + - @}, tab, CR) gets a leading quote (OWASP CSV injection).
 */
abstract class FleetOutput implements RowSink {
  enum Format {
    TABLE,
    JSON,
    CSV
  }

  final PrintWriter out;

  FleetOutput(PrintWriter out) {
    this.out = out;
  }

  static FleetOutput of(Format f, PrintWriter out) throws IOException {
    return switch (f) {
      case JSON -> new Json(out);
      case CSV -> new Csv(out);
      default -> new Table(out);
    };
  }

  /** Ends the output and flushes. */
  abstract void end() throws IOException;

  static String text(Object v) {
    return v == null ? "" : v.toString();
  }

  private static final class Json extends FleetOutput {
    private final JsonGenerator g;

    Json(PrintWriter out) throws IOException {
      super(out);
      g = new JsonFactory().createGenerator(out);
      g.writeStartArray();
    }

    @Override
    public void accept(Map<String, Object> row) throws IOException {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : row.entrySet()) {
        g.writeFieldName(e.getKey());
        Object v = e.getValue();
        if (v == null) {
          g.writeNull();
        } else if (v instanceof Long l) {
          g.writeNumber(l);
        } else if (v instanceof Boolean b) {
          g.writeBoolean(b);
        } else {
          g.writeString(v.toString());
        }
      }
      g.writeEndObject();
    }

    @Override
    void end() throws IOException {
      g.writeEndArray();
      g.writeRaw('\n');
      g.flush();
    }
  }

  private static final class Csv extends FleetOutput {
    private boolean header;
    private final StringBuilder line = new StringBuilder(256);

    Csv(PrintWriter out) {
      super(out);
    }

    @Override
    public void accept(Map<String, Object> row) {
      if (!header) {
        line(row.keySet());
        header = true;
      }
      line(row.values());
    }

    private void line(Iterable<?> cells) {
      line.setLength(0);
      boolean first = true;
      for (Object c : cells) {
        if (!first) {
          line.append(',');
        }
        line.append(cell(text(c)));
        first = false;
      }
      out.write(line.append("\r\n").toString());
    }

    static String cell(String s) {
      if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
        s = "'" + s;
      }
      if (s.indexOf(',') >= 0
          || s.indexOf('"') >= 0
          || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0) {
        return '"' + s.replace("\"", "\"\"") + '"';
      }
      return s;
    }

    @Override
    void end() {
      out.flush();
    }
  }

  private static final class Table extends FleetOutput {
    private final List<Map<String, Object>> rows = new ArrayList<>();

    Table(PrintWriter out) {
      super(out);
    }

    @Override
    public void accept(Map<String, Object> row) {
      rows.add(row);
    }

    @Override
    void end() {
      if (rows.isEmpty()) {
        out.println("(none)");
        out.flush();
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
      line(new ArrayList<>(cols), w);
      for (Map<String, Object> r : rows) {
        line(cols.stream().map(r::get).toList(), w);
      }
      out.flush();
    }

    private void line(List<?> cells, int[] w) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < cells.size(); i++) {
        String c = cell(cells.get(i));
        sb.append(c).append(" ".repeat(w[i] - c.length() + (i < cells.size() - 1 ? 2 : 0)));
      }
      out.println(sb.toString().stripTrailing());
    }

    private static String cell(Object o) {
      return o == null ? "-" : Terminal.safe(o.toString()).replace('\n', ' ');
    }
  }
}
