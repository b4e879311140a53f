package io.burnguard.drivers.uboot;

import io.burnguard.drivers.BurnJob;
import io.burnguard.drivers.BurnOutcome;
import io.burnguard.drivers.BurnerDriver;
import io.burnguard.drivers.CancellationToken;
import io.burnguard.drivers.DriverEnvironment;
import io.burnguard.drivers.DriverSpec;
import io.burnguard.drivers.Phase;
import io.burnguard.drivers.ProgressListener;
import io.burnguard.drivers.ReadBack;
import io.burnguard.drivers.serial.SerialLink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The U-Boot burn, common to both transports: console, prompt, load (the {@link Loader}), RAM
 * check, recipe, read-back, host-side comparison.
 *
 * <p>Why the RAM check: a CRC of the loaded RAM before writing separates "the transfer corrupted
 * the image" (TRANSFER) from "the flash did not take it" (READBACK/VERIFY), which need different
 * fixes on the line. Why the poison fill: when the read-back copies flash into {@code ${readaddr}},
 * that RAM is first filled with a byte unlike the image, so a read that silently did nothing cannot
 * leave an old copy of the image there to be checksummed.
 */
final class UBootDriver implements BurnerDriver {
  private static final Logger LOG = LoggerFactory.getLogger(UBootDriver.class);
  private static final Pattern CRC_LINE =
      Pattern.compile("crc32 for ([0-9a-fA-F]+) \\.\\.\\. ([0-9a-fA-F]+) ==> ([0-9a-fA-F]{8})");

  private final DriverSpec spec;
  private final DriverEnvironment env;
  private final Loader loader;

  UBootDriver(DriverSpec spec, DriverEnvironment env, Loader loader) {
    this.spec = spec;
    this.env = env;
    this.loader = loader;
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public DriverSpec spec() {
    return spec;
  }

  @Override
  public BurnOutcome burn(BurnJob job, ProgressListener progress, CancellationToken cancel) {
    Instant t0 = env.clock().instant();
    Burn burn = null;
    try {
      burn = new Burn(job, Recipe.prepare(job), env, progress, cancel);
      burn.enter(Phase.PREPARE);
      loader.check(burn);
      String port = job.setting("port", "");
      if (port.isEmpty()) {
        throw new BurnFailure(
            Phase.PREPARE, "the fixture has no 'port' setting; set its console port path");
      }
      int baud = (int) burn.number(UBootSettings.BAUD);
      ReadBack rb = burnOn(burn, port, baud);
      LOG.info("{}: {} burned, device crc32 {}", name(), job.imageName(), rb.actual());
      return BurnOutcome.passed(rb, Duration.between(t0, env.clock().instant()));
    } catch (BurnFailure f) {
      LOG.warn(
          "{}: burn of {} failed in {}: {}", name(), job.imageName(), f.phase(), f.getMessage());
      return BurnOutcome.failed(
          f.phase(), f.getMessage(), f.readBack(), Duration.between(t0, env.clock().instant()));
    }
  }

  private ReadBack burnOn(Burn burn, String port, int baud) throws BurnFailure {
    burn.enter(Phase.CONNECT);
    SerialLink link;
    try {
      link = env.serial().open(port, baud);
    } catch (IOException e) {
      throw new BurnFailure(Phase.CONNECT, "cannot open the console port: " + e.getMessage());
    }
    try (link) {
      burn.console =
          new UBootConsole(
              link,
              env.clock(),
              burn.setting(UBootSettings.PROMPT),
              burn.setting(UBootSettings.ERROR_PATTERN),
              burn.cancel);
      burn.enter(Phase.PROMPT);
      try {
        burn.console.reachPrompt(
            burn.seconds(UBootSettings.BOOT_TIMEOUT),
            unescape(burn.setting(UBootSettings.STOP_KEYS)));
      } catch (ConsoleException e) {
        throw BurnFailure.of(Phase.PROMPT, e, null);
      }
      loader.load(burn);
      checkRam(burn);
      write(burn);
      return readBack(burn);
    }
  }

  /** TRANSFER, last step: U-Boot's filesize and a CRC of RAM must match the image. */
  private static void checkRam(Burn burn) throws BurnFailure {
    Duration t = burn.seconds(UBootSettings.COMMAND_TIMEOUT);
    String fs = burn.run("printenv filesize", t, "the transfer left no file size");
    Matcher m = Pattern.compile("filesize=([0-9a-fA-F]+)").matcher(fs);
    long length = burn.job.length();
    if (!m.find() || Long.parseLong(m.group(1), 16) != length) {
      throw new BurnFailure(
          Phase.TRANSFER,
          String.format(
              Locale.ROOT,
              "TRANSFER failed: the device received %s bytes, the image has %d; retry the burn",
              m.find(0) ? Long.toString(Long.parseLong(m.group(1), 16)) : "an unknown number of",
              length));
    }
    String loadaddr = burn.recipe.vars.get("loadaddr");
    String size = burn.recipe.vars.get("size_hex");
    String crc = deviceCrc(burn, burn.run("crc32 " + loadaddr + " " + size, t, null));
    if (!crc.equals(burn.job.crc32Hex())) {
      throw new BurnFailure(
          Phase.TRANSFER,
          "TRANSFER failed: the image in the device's RAM has crc32 "
              + crc
              + ", expected "
              + burn.job.crc32Hex()
              + "; the line corrupted it, retry or check the cable");
    }
  }

  private static void write(Burn burn) throws BurnFailure {
    burn.enter(Phase.WRITE);
    Duration t = burn.seconds(UBootSettings.WRITE_TIMEOUT);
    int i = 0;
    for (String line : burn.recipe.write) {
      i++;
      burn.run(
          line,
          t,
          "recipe line "
              + i
              + " of "
              + burn.recipe.write.size()
              + " failed; check the model's recipe and the flash part");
      burn.report(i, burn.recipe.write.size());
    }
  }

  private ReadBack readBack(Burn burn) throws BurnFailure {
    burn.enter(Phase.READBACK);
    Duration t = burn.seconds(UBootSettings.WRITE_TIMEOUT);
    String readaddr = burn.recipe.vars.get("readaddr");
    if (readaddr != null && String.join("\n", burn.job.readBack()).contains("${readaddr}")) {
      burn.run(
          "mw.b " + readaddr + " " + poison(burn) + " " + burn.recipe.vars.get("size_hex"),
          t,
          "could not clear the read-back buffer; check readaddr");
    }
    String out = "";
    int i = 0;
    for (String line : burn.recipe.readBack) {
      i++;
      out =
          burn.run(line, t, "read-back line " + i + " failed; check the model's read-back recipe");
    }
    String crc = deviceCrc(burn, out);
    burn.enter(Phase.VERIFY);
    ReadBack rb = new ReadBack("crc32", burn.job.crc32Hex(), crc);
    if (!rb.matches()) {
      throw new BurnFailure(
          Phase.VERIFY,
          "VERIFY failed: the flash reads back crc32 "
              + crc
              + " but the image has "
              + burn.job.crc32Hex()
              + "; the flash did not take the image. Re-burn; if it "
              + "fails again, set the unit aside",
          rb);
    }
    return rb;
  }

  /** Parses "crc32 for A ... B ==> C" and checks that it covered exactly the image length. */
  private static String deviceCrc(Burn burn, String out) throws BurnFailure {
    Matcher m = CRC_LINE.matcher(out);
    String last = null;
    long start = 0;
    long end = 0;
    while (m.find()) {
      start = Long.parseLong(m.group(1), 16);
      end = Long.parseLong(m.group(2), 16);
      last = m.group(3).toLowerCase(Locale.ROOT);
    }
    if (last == null) {
      throw new BurnFailure(
          burn.phase(),
          burn.phase()
              + " failed: the device printed no 'crc32 for ... ==> ...' line; the "
              + "read-back recipe must end with a crc32 command. Device said: "
              + BurnFailure.lastLines(out, 3));
    }
    if (end - start + 1 != burn.job.length()) {
      throw new BurnFailure(
          burn.phase(),
          String.format(
              Locale.ROOT,
              "%s failed: the device's crc32 covered %d bytes, the image has %d; fix the "
                  + "read-back recipe to use ${size_hex}",
              burn.phase(),
              end - start + 1,
              burn.job.length()));
    }
    return last;
  }

  /** A fill byte unlike the image's first byte, so a no-op read cannot look like the image. */
  private static String poison(Burn burn) throws BurnFailure {
    try (InputStream in = burn.job.image().open()) {
      int first = in.read();
      return String.format(Locale.ROOT, "0x%02x", (first ^ 0xFF) & 0xFF);
    } catch (IOException e) {
      throw new BurnFailure(Phase.READBACK, "cannot read the image: " + e.getMessage());
    }
  }

  /** "\x03" style escapes, so control keys can be written in station.yaml. */
  static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
        b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 3;
      } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'n') {
        b.append('\n');
        i++;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
