package io.burnguard.config;

import java.util.Locale;

/**
 * One problem in a station.yaml: where it is, what is wrong and what to write instead.
 *
 * @param file the file as given by the user
 * @param line 1-based line, 0 when the problem concerns the whole file
 * @param column 1-based column, 0 when unknown
 * @param path the field's path, e.g. {@code fixtures[1].id}; empty for the whole file
 * @param message what was found and what was expected
 * @param fix what to write instead
 */
public record ConfigProblem(
    String file, int line, int column, String path, String message, String fix) {

  static ConfigProblem at(
      String file, int line, int column, String path, String message, String fix) {
    return new ConfigProblem(file, line, column, path, message, fix);
  }

  /** {@code file:line: path: message; fix}, the form editors and grep understand. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(file);
    if (line > 0) {
      b.append(':').append(line);
    }
    b.append(": ");
    if (!path.isEmpty()) {
      b.append(path).append(": ");
    }
    b.append(message);
    if (fix != null && !fix.isEmpty()) {
      b.append(String.format(Locale.ROOT, "%n    fix: %s", fix));
    }
    return b.toString();
  }
}
