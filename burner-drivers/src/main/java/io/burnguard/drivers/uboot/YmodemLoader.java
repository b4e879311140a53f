package io.burnguard.drivers.uboot;

import io.burnguard.drivers.Phase;
import io.burnguard.drivers.ymodem.YmodemException;
import io.burnguard.drivers.ymodem.YmodemSender;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * uboot-serial: {@code loady ${loadaddr}}, then our YMODEM-1K sender on the console line.
 *
 * <p>Settings: {@code transfer_timeout_s} (default: twice the line time of the image plus 30 s).
 */
final class YmodemLoader implements Loader {
  private static final Pattern READY =
      Pattern.compile("(?i)ready for binary \\(ymodem\\)[^\\n]*\\n");

  @Override
  public void check(Burn burn) {
    // Everything it needs (port, baud, loadaddr) is checked by the driver.
  }

  @Override
  public void load(Burn burn) throws BurnFailure {
    burn.enter(Phase.CONFIGURE);
    try {
      burn.console.start("loady " + burn.recipe.vars.get("loadaddr"));
      burn.console.await(READY, burn.seconds(UBootSettings.COMMAND_TIMEOUT), "'loady'");
    } catch (ConsoleException e) {
      throw BurnFailure.of(
          Phase.CONFIGURE, e, "the boot loader may lack loady; use the uboot-tftp driver");
    }
    burn.enter(Phase.TRANSFER);
    long length = burn.job.length();
    long baud = burn.number(UBootSettings.BAUD);
    long lineSeconds = length * 10 / baud;
    Duration deadline = burn.seconds(UBootSettings.SERIAL_TRANSFER_TIMEOUT, 30 + 2 * lineSeconds);
    YmodemSender sender =
        new YmodemSender(burn.console.link(), burn.env.clock(), burn.cancel)
            .startTimeout(Duration.ofSeconds(15));
    long start = burn.env.clock().millis();
    try (InputStream in = burn.job.image().open()) {
      sender.send(
          burn.job.imageName(),
          length,
          in,
          (done, total) -> {
            burn.report(done, total);
            if (burn.env.clock().millis() - start > deadline.toMillis()) {
              burn.cancel.cancel("YMODEM transfer exceeded " + deadline.toSeconds() + " s");
            }
          });
    } catch (YmodemException e) {
      String hint =
          switch (e.reason()) {
            case LINK_FAILED -> "the serial port went away; check the USB cable and power";
            case RECEIVER_CANCELLED -> "the boot loader gave up; retry the burn";
            case TOO_MANY_RETRIES -> "the line is losing bytes; check the cable or lower the baud";
            case NO_RECEIVER -> "loady did not start receiving; check the boot loader";
            default -> "retry the burn";
          };
      throw new BurnFailure(
          Phase.TRANSFER,
          "TRANSFER failed after "
              + e.bytesAcknowledged()
              + " of "
              + length
              + " bytes: "
              + e.getMessage()
              + "; "
              + hint);
    } catch (IOException e) {
      throw new BurnFailure(Phase.TRANSFER, "cannot read the image: " + e.getMessage());
    }
  }
}
