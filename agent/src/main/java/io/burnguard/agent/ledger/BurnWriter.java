package io.burnguard.agent.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes burn records as they stream in: a table for people, a JSON array, or CSV (RFC 4180).
 * Nothing is buffered beyond the underlying writer, so a million rows cost no more memory than one.
 * Use: {@code begin()}, {@code accept(r)} per record, {@code end()}.
 *
 * <p>Threat: barcodes, operators and reasons end up in terminals and spreadsheets. The table writer
 * escapes control characters (terminal escape sequences); the CSV writer prefixes a cell that a
 * spreadsheet would run as a formula ({@code = + - @}, tab, CR) with a quote (OWASP CSV injection).
 */
public abstract class BurnWriter implements BurnSink {
  /** Format names for {@link #of}. */
  public enum Format {
    TABLE,
    JSON,
    CSV
  }

  final Writer out;

  BurnWriter(Writer out) {
    this.out = out;
  }

  /** A writer for {@code format} on {@code out}. */
  public static BurnWriter of(Format format, Writer out) throws IOException {
    switch (format) {
      case JSON:
        return new Json(out);
      case CSV:
        return new Csv(out);
      default:
        return new Table(out);
    }
  }

  /** Starts the output (header, opening bracket). */
  public abstract void begin() throws IOException;

  /** Ends the output and flushes. */
  public abstract void end() throws IOException;

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof List) {
      return String.join("; ", ((List<?>) v).stream().map(String::valueOf).toList());
    }
    return v.toString();
  }

  static final class Json extends BurnWriter {
    private final JsonGenerator g;

    Json(Writer out) throws IOException {
      super(out);
      this.g = new JsonFactory().createGenerator(out);
    }

    @Override
    public void begin() throws IOException {
      g.writeStartArray();
    }

    @Override
    public void accept(BurnRecord r) throws IOException {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : r.toMap().entrySet()) {
        g.writeFieldName(e.getKey());
        Object v = e.getValue();
        if (v == null) {
          g.writeNull();
        } else if (v instanceof Long) {
          g.writeNumber((Long) v);
        } else if (v instanceof Boolean) {
          g.writeBoolean((Boolean) v);
        } else if (v instanceof List) {
          g.writeStartArray();
          for (Object s : (List<?>) v) {
            g.writeString(String.valueOf(s));
          }
          g.writeEndArray();
        } else {
          g.writeString(v.toString());
        }
      }
      g.writeEndObject();
    }

    @Override
    public void end() throws IOException {
      g.writeEndArray();
      g.writeRaw('\n');
      g.flush();
    }
  }

  static final class Csv extends BurnWriter {
    Csv(Writer out) {
      super(out);
    }

    @Override
    public void begin() throws IOException {
      out.write(String.join(",", BurnRecord.FIELDS));
      out.write("\r\n");
    }

    @Override
    public void accept(BurnRecord r) throws IOException {
      boolean first = true;
      for (Object v : r.toMap().values()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        out.write(cell(text(v)));
      }
      out.write("\r\n");
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
    public void end() throws IOException {
      out.flush();
    }
  }

  /** Fixed-width columns for the recall list; full detail stays in JSON/CSV and trace. */
  static final class Table extends BurnWriter {
    private static final String ROW = "%-24s %-20s %-10s %-12s %-10s %-11s %-16s %-8s %-12s%n";

    Table(Writer out) {
      super(out);
    }

    @Override
    public void begin() throws IOException {
      out.write(
          String.format(
              Locale.ROOT,
              ROW,
              "STARTED",
              "BARCODE",
              "MODEL",
              "ORDER",
              "VERSION",
              "OUTCOME",
              "STATION",
              "FIXTURE",
              "OPERATOR"));
    }

    @Override
    public void accept(BurnRecord r) throws IOException {
      BurnRequest q = r.request();
      out.write(
          String.format(
              Locale.ROOT,
              ROW,
              safe(r.startedAt()),
              safe(q.barcode()),
              safe(q.model()),
              safe(r.workOrder()),
              safe(q.firmwareVersion()),
              r.outcome(),
              safe(q.stationId()),
              safe(q.fixture()),
              safe(q.operator())));
    }

    @Override
    public void end() throws IOException {
      out.flush();
    }
  }

  /** A value safe to print on a terminal: control characters shown as \\uXXXX. */
  public static String safe(String s) {
    if (s == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Writes every field of each record as "name: value" blocks, for {@code trace}. */
  public static void writeTrace(List<BurnRecord> records, Writer out) throws IOException {
    for (BurnRecord r : records) {
      for (Map.Entry<String, Object> e : r.toMap().entrySet()) {
        out.write(
            String.format(Locale.ROOT, "%-16s %s%n", e.getKey() + ":", safe(text(e.getValue()))));
      }
      out.write(System.lineSeparator());
    }
    out.flush();
  }
}
