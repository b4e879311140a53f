package io.burnguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScalarTypesTest {

  /** Walks the whole model: every number has bounds, every scalar type has a registry entry. */
  @Test
  void everyWholeNumberInTheModelHasARangeAndEveryScalarAnEntry() {
    List<String> unbounded = new ArrayList<>();
    walk(StationConfig.class, "", new HashSet<>(), unbounded);
    assertEquals(List.of(), unbounded, "int/long components without @Spec.Range");
  }

  @Test
  void anIntBeyondItsRangeIsRefusedNotClamped() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                StationConfigLoader.parse(
                    "s.yaml",
                    StationConfigLoaderTest.minimal("retention:\n  firmwareDays: 99999999999\n")));
    ConfigProblem p = e.problems().get(0);
    assertEquals("retention.firmwareDays", p.path());
    assertEquals(18, p.line());
    assertEquals("99999999999 is out of range", p.message());
    assertEquals("write a value of 1 to 3650", p.fix());
  }

  @Test
  void anIntWithoutRangeIsRefusedBeyondTheJavaType() throws Exception {
    RecordComponent noRange = Unbounded.class.getRecordComponents()[0];
    ScalarTypes.Refusal r =
        assertThrows(
            ScalarTypes.Refusal.class,
            () ->
                ScalarTypes.of(int.class)
                    .converter()
                    .convert(
                        new YamlNode.Scalar("4294967296", YamlNode.ScalarKind.INTEGER, 3, 1),
                        noRange));
    assertEquals("write a value of -2147483648 to 2147483647", r.fix());
    Object ok =
        ScalarTypes.of(int.class)
            .converter()
            .convert(new YamlNode.Scalar("7", YamlNode.ScalarKind.INTEGER, 3, 1), noRange);
    assertEquals(7, ok);
  }

  @Test
  void enumEntryDescribesItsWords() {
    ScalarTypes.Entry e = ScalarTypes.of(StationConfig.PortMode.class);
    assertEquals("one of enforce, monitor, off", e.description());
    assertEquals("enforce", e.example());
  }

  @Test
  void anUnknownTypeIsAProgrammingErrorNamingTheRegistry() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ScalarTypes.of(StringBuilder.class));
    assertTrue(e.getMessage().contains("ScalarTypes"), e.getMessage());
  }

  record Unbounded(int n) {}

  private static void walk(Type t, String path, Set<Type> seen, List<String> unbounded) {
    if (t instanceof ParameterizedType p) {
      for (Type a : p.getActualTypeArguments()) {
        walk(a, path + "[]", seen, unbounded);
      }
      return;
    }
    Class<?> c = (Class<?>) t;
    if (!c.isRecord()) {
      ScalarTypes.of(c); // throws for a type without an entry
      return;
    }
    if (!seen.add(c)) {
      return;
    }
    for (RecordComponent rc : c.getRecordComponents()) {
      String p = path + "." + rc.getName();
      Class<?> raw = rc.getType();
      boolean whole =
          raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class;
      if (whole && !rc.isAnnotationPresent(Spec.Range.class)) {
        unbounded.add(p);
      }
      walk(rc.getGenericType(), p, seen, unbounded);
    }
  }
}
