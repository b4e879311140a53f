package io.burnguard.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriverSpecTest {
  @Test
  void aDriverReportsTheSpecItIsRegisteredWith() {
    for (String name : BurnerDrivers.names()) {
      assertEquals(BurnerDrivers.spec(name).orElseThrow(), BurnerDrivers.named(name).spec());
    }
    assertTrue(BurnerDrivers.spec("nosuch").isEmpty());
    assertTrue(BurnerDrivers.spec(null).isEmpty());
  }

  @Test
  void tftpNeedsBothAddressesAndSerialNeedsNeither() {
    DriverSpec tftp = BurnerDrivers.spec("uboot-tftp").orElseThrow();
    List<String> required =
        tftp.settings().stream().filter(SettingSpec::required).map(SettingSpec::name).toList();
    assertEquals(List.of("device_ip", "server_ip"), required);
    DriverSpec serial = BurnerDrivers.spec("uboot-serial").orElseThrow();
    assertTrue(serial.settings().stream().noneMatch(SettingSpec::required));
    assertTrue(serial.setting("device_ip").isEmpty());
  }

  @Test
  void readaddrIsDefinedOnlyByItsSetting() {
    DriverSpec tftp = BurnerDrivers.spec("uboot-tftp").orElseThrow();
    assertEquals(RecipeVariable.Origin.SETTING, tftp.variable("readaddr").orElseThrow().origin());
    assertEquals(null, tftp.setting("readaddr").orElseThrow().defaultValue());
    assertEquals("512-byte blocks, hex", tftp.variable("blocks_hex").orElseThrow().unit());
  }

  @ParameterizedTest
  @CsvSource({
    "IPV4, 192.168.50.20, true",
    "IPV4, 192.168.500.1, false",
    "IPV4, 10.0.0, false",
    "NUMBER, 115200, true",
    "NUMBER, 0x1c200, true",
    "NUMBER, 0, false",
    "NUMBER, fast, false",
    "SECONDS, -5, false",
    "ADDRESS, 0x44000000, true",
    "REGEX, (?i)error, true",
    "REGEX, (unclosed, false",
    "TEXT, ' ', false"
  })
  void settingTypesAcceptWhatTheDriverParses(SettingType type, String value, boolean ok) {
    assertEquals(ok, type.accepts(value), type + " " + value);
  }

  @Test
  void aDefaultMustHaveItsOwnType() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SettingSpec.optional("baud", SettingType.NUMBER, "fast", "line speed"));
    assertTrue(e.getMessage().contains("fast"), e.getMessage());
    assertFalse(SettingType.TEXT.accepts(null));
  }
}
