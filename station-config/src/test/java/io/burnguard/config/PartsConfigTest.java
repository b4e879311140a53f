package io.burnguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code parts} section (issue 15): documented example, defaults, bounds. */
class PartsConfigTest {
  @Test
  void theExampleDocumentsEveryPartsKey() throws Exception {
    StationConfig.Parts p = StationConfigLoader.load(StationConfigLoaderTest.EXAMPLE).parts();
    assertEquals(List.of("Acme Memory Ltd", "Example Flash Co"), p.suppliers());
    assertEquals(StationConfig.PartsFileSystem.VFAT, p.fileSystem());
    assertEquals("BG${part}", p.labelPattern());
    assertEquals(Duration.ofDays(7), p.inventoryInterval());
    assertEquals(Duration.ofHours(1), p.inventoryCheck());
    assertEquals(StationConfig.PartsVerification.FULL, p.verification());
    assertEquals(10, p.samplePercent());
  }

  @Test
  void aConfigWithoutPartsStaysValidWithDefaults() throws Exception {
    StationConfig c = StationConfigLoader.parse("s.yaml", StationConfigLoaderTest.minimal(""));
    assertEquals(StationConfig.Parts.defaults(), c.parts());
    assertTrue(c.parts().suppliers().isEmpty());
  }

  @Test
  void givenKeysOverrideAndOmittedOnesDefault() throws Exception {
    StationConfig c =
        StationConfigLoader.parse(
            "s.yaml",
            StationConfigLoaderTest.minimal(
                "parts:\n  suppliers: [Acme]\n  fileSystem: exfat\n  verification: sample\n"
                    + "  samplePercent: 25\n"));
    assertEquals(StationConfig.PartsFileSystem.EXFAT, c.parts().fileSystem());
    assertEquals(StationConfig.PartsVerification.SAMPLE, c.parts().verification());
    assertEquals(25, c.parts().samplePercent());
    assertEquals("BG${part}", c.parts().labelPattern());
    assertEquals(Duration.ofDays(7), c.parts().inventoryInterval());
  }

  @Test
  void aLabelPatternWithoutThePartIdOrWithSpacesIsRefused() {
    for (String bad : List.of("PARTLABEL", "\"BG ${part}\"")) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  StationConfigLoader.parse(
                      "s.yaml",
                      StationConfigLoaderTest.minimal("parts:\n  labelPattern: " + bad + "\n")));
      assertEquals("parts.labelPattern", e.problems().get(0).path(), e.problems().toString());
    }
  }

  @Test
  void anInventoryIntervalUnderAnHourIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                StationConfigLoader.parse(
                    "s.yaml",
                    StationConfigLoaderTest.minimal("parts:\n  inventoryInterval: 10m\n")));
    assertEquals("parts.inventoryInterval", e.problems().get(0).path());
  }

  @Test
  void anInventoryCheckOverADayIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                StationConfigLoader.parse(
                    "s.yaml", StationConfigLoaderTest.minimal("parts:\n  inventoryCheck: 2d\n")));
    assertEquals("parts.inventoryCheck", e.problems().get(0).path());
  }
}
