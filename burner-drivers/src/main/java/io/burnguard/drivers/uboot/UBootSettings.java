package io.burnguard.drivers.uboot;

import static io.burnguard.drivers.RecipeVariable.Origin.DRIVER;
import static io.burnguard.drivers.RecipeVariable.Origin.MODEL;
import static io.burnguard.drivers.RecipeVariable.Origin.SETTING;

import io.burnguard.drivers.DriverSpec;
import io.burnguard.drivers.RecipeVariable;
import io.burnguard.drivers.SettingSpec;
import io.burnguard.drivers.SettingType;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings and recipe variables of the U-Boot drivers. The driver reads settings only through
 * these constants ({@link Burn#setting(SettingSpec)}), so the declared defaults are the ones used
 * and an undeclared setting cannot be read.
 */
final class UBootSettings {
  private UBootSettings() {}

  static final SettingSpec BAUD =
      SettingSpec.optional("baud", SettingType.NUMBER, "115200", "console line speed, bits/s");
  static final SettingSpec PROMPT =
      SettingSpec.optional("prompt", SettingType.TEXT, "=> ", "U-Boot's prompt, as it prints it");
  static final SettingSpec STOP_KEYS =
      SettingSpec.optional(
          "stop_keys",
          SettingType.TEXT,
          "\\x03",
          "keys sent to stop autoboot; \\xNN and \\n escapes (\\x03 is Ctrl-C)");
  static final SettingSpec BOOT_TIMEOUT =
      SettingSpec.optional(
          "boot_timeout_s", SettingType.SECONDS, "30", "wait for the prompt after power-on, s");
  static final SettingSpec COMMAND_TIMEOUT =
      SettingSpec.optional(
          "command_timeout_s", SettingType.SECONDS, "20", "wait for each short command, s");
  static final SettingSpec WRITE_TIMEOUT =
      SettingSpec.optional(
          "write_timeout_s",
          SettingType.SECONDS,
          "300",
          "wait for each write and read-back recipe line, s");
  static final SettingSpec LOADADDR =
      SettingSpec.optional(
          "loadaddr",
          SettingType.ADDRESS,
          Recipe.DEFAULT_LOADADDR,
          "RAM address the image is loaded to; ${loadaddr} in recipes");
  static final SettingSpec READADDR =
      SettingSpec.computed(
          "readaddr",
          SettingType.ADDRESS,
          "none: ${readaddr} is then undefined",
          "RAM address a read-back recipe copies the flash to; ${readaddr} in recipes. Filled"
              + " with a byte unlike the image before the read-back, so a read that did nothing"
              + " cannot pass");
  static final SettingSpec ERROR_PATTERN =
      SettingSpec.optional(
          "error_pattern",
          SettingType.REGEX,
          UBootConsole.DEFAULT_ERROR_PATTERN,
          "console output that fails a command even when U-Boot's exit status is 0");
  static final SettingSpec SERIAL_TRANSFER_TIMEOUT =
      SettingSpec.computed(
          "transfer_timeout_s",
          SettingType.SECONDS,
          "30 + twice the image's line time at the baud rate",
          "the whole YMODEM transfer, s");
  static final SettingSpec TFTP_TRANSFER_TIMEOUT =
      SettingSpec.computed(
          "transfer_timeout_s",
          SettingType.SECONDS,
          "30 + 1 per MiB of image",
          "the whole tftpboot, s");
  static final SettingSpec DEVICE_IP =
      SettingSpec.required(
          "device_ip", SettingType.IPV4, "the board's address (U-Boot ipaddr) on the fixture LAN");
  static final SettingSpec SERVER_IP =
      SettingSpec.required(
          "server_ip",
          SettingType.IPV4,
          "this station's address on the fixture's interface; the TFTP server binds there");
  static final SettingSpec NETMASK =
      SettingSpec.optional("netmask", SettingType.IPV4, "255.255.255.0", "the fixture LAN's mask");
  static final SettingSpec TFTP_PORT =
      SettingSpec.optional(
          "tftp_port",
          SettingType.NUMBER,
          "69",
          "UDP port the server listens on (U-Boot's is" + " fixed when it is built)");
  static final SettingSpec TFTP_BLKSIZE =
      SettingSpec.optional(
          "tftp_blksize",
          SettingType.NUMBER,
          "1468",
          "largest TFTP block offered, bytes (RFC 2348)");
  static final SettingSpec TFTP_WINDOWSIZE =
      SettingSpec.optional(
          "tftp_windowsize",
          SettingType.NUMBER,
          "16",
          "largest TFTP window offered, blocks (RFC 7440)");
  static final SettingSpec NETNS =
      SettingSpec.computed(
          "netns",
          SettingType.TEXT,
          "none: the station's own network",
          "network namespace the TFTP server's socket is opened in, for a fixture interface"
              + " kept in one");

  /**
   * What a recipe variable's value may hold: nothing that could end a boot-loader command and start
   * another (no ';', quotes, '$', spaces or line breaks).
   */
  static final String SAFE_VALUE = "[A-Za-z0-9_.:+x-]{0,64}";

  static final String SAFE_VALUE_RULE =
      "at most 64 letters, digits and _ . : + x -, so that it cannot start a second command";

  /** Model variable the driver reads. */
  static final String ERASE_BLOCK = "erase_block";

  static final String DEFAULT_ERASE_BLOCK = "0x10000";

  private static final List<SettingSpec> COMMON =
      List.of(
          BAUD,
          PROMPT,
          STOP_KEYS,
          BOOT_TIMEOUT,
          COMMAND_TIMEOUT,
          WRITE_TIMEOUT,
          LOADADDR,
          READADDR,
          ERROR_PATTERN);

  private static final List<RecipeVariable> VARIABLES =
      List.of(
          new RecipeVariable(
              "loadaddr",
              "RAM address, hex",
              "where the image was loaded (setting loadaddr)",
              SETTING),
          new RecipeVariable(
              "readaddr",
              "RAM address, hex",
              "where a read-back copies the flash to (setting readaddr; undefined without it)",
              SETTING),
          new RecipeVariable("size", "bytes, decimal", "the image's length", DRIVER),
          new RecipeVariable("size_hex", "bytes, hex", "the image's length", DRIVER),
          new RecipeVariable(
              "blocks_hex",
              "512-byte blocks, hex",
              "the image's length in 512-byte blocks, rounded up (for mmc/virtio/usb read and"
                  + " write, which count blocks, not bytes)",
              DRIVER),
          new RecipeVariable(
              "erase_size",
              "bytes, hex",
              "the image's length rounded up to a whole number of erase_block",
              DRIVER),
          new RecipeVariable("image_name", "file name", "the image's file name", DRIVER),
          new RecipeVariable(
              ERASE_BLOCK,
              "bytes, hex",
              "the flash's erase block, set by the model; default " + DEFAULT_ERASE_BLOCK,
              MODEL));

  static DriverSpec serial() {
    List<SettingSpec> s = new ArrayList<>(COMMON);
    s.add(SERIAL_TRANSFER_TIMEOUT);
    return new DriverSpec(
        UBootDrivers.SERIAL,
        "U-Boot console; the image goes over the console line with loady (YMODEM-1K). Needs only"
            + " the serial cable; its speed is bounded by the baud rate.",
        s,
        VARIABLES,
        SAFE_VALUE,
        SAFE_VALUE_RULE);
  }

  static DriverSpec tftp() {
    List<SettingSpec> s = new ArrayList<>(COMMON);
    s.addAll(
        List.of(
            DEVICE_IP,
            SERVER_IP,
            NETMASK,
            TFTP_PORT,
            TFTP_BLKSIZE,
            TFTP_WINDOWSIZE,
            NETNS,
            TFTP_TRANSFER_TIMEOUT));
    return new DriverSpec(
        UBootDrivers.TFTP,
        "U-Boot console for commands; the image comes with tftpboot from BurnGuard's own TFTP"
            + " server, which serves that one file to that one device for that one burn.",
        s,
        VARIABLES,
        SAFE_VALUE,
        SAFE_VALUE_RULE);
  }
}
