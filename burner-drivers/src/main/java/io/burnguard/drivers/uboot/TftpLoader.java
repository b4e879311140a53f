package io.burnguard.drivers.uboot;

import io.burnguard.drivers.Phase;
import io.burnguard.drivers.SettingSpec;
import io.burnguard.drivers.tftp.TftpServer;
import io.burnguard.drivers.tftp.UdpChannelFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * uboot-tftp: sets the board's ipaddr/serverip, serves the image from our own {@link TftpServer}
 * for the duration of one {@code tftpboot}, and stops serving before the recipe runs.
 *
 * <p>Settings: {@code device_ip}, {@code server_ip} (required; the server binds there), {@code
 * netmask} (255.255.255.0), {@code tftp_port} (69; U-Boot's is fixed at build time), {@code
 * tftp_blksize} (1468), {@code tftp_windowsize} (16), {@code transfer_timeout_s}.
 */
final class TftpLoader implements Loader {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  @Override
  public void check(Burn burn) throws BurnFailure {
    address(burn, UBootSettings.DEVICE_IP);
    address(burn, UBootSettings.SERVER_IP);
    String mask = burn.setting(UBootSettings.NETMASK);
    if (!IPV4.matcher(mask).matches()) {
      throw new BurnFailure(Phase.PREPARE, "netmask '" + mask + "' is not a dotted IPv4 mask");
    }
  }

  private static InetAddress address(Burn burn, SettingSpec s) throws BurnFailure {
    String key = s.name();
    String v = burn.setting(s);
    if (!IPV4.matcher(v).matches()) {
      throw new BurnFailure(
          Phase.PREPARE,
          "the fixture's '" + key + "' setting must be an IPv4 address; found '" + v + "'");
    }
    try {
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      throw new BurnFailure(Phase.PREPARE, "'" + key + "' is not an address: " + v);
    }
  }

  @Override
  public void load(Burn burn) throws BurnFailure {
    burn.enter(Phase.CONFIGURE);
    InetAddress device = address(burn, UBootSettings.DEVICE_IP);
    InetAddress server = address(burn, UBootSettings.SERVER_IP);
    int port = (int) burn.number(UBootSettings.TFTP_PORT);
    TftpServer.Config cfg =
        new TftpServer.Config(
            new InetSocketAddress(server, port),
            device,
            burn.job.imageName(),
            (int) burn.number(UBootSettings.TFTP_BLKSIZE),
            (int) burn.number(UBootSettings.TFTP_WINDOWSIZE),
            Duration.ofMillis(500),
            8);
    Duration t = burn.seconds(UBootSettings.COMMAND_TIMEOUT);
    burn.run("setenv ipaddr " + device.getHostAddress(), t, null);
    burn.run("setenv serverip " + server.getHostAddress(), t, null);
    burn.run("setenv netmask " + burn.setting(UBootSettings.NETMASK), t, null);
    burn.run("setenv tftpblocksize " + cfg.maxBlockSize(), t, null);
    burn.run("setenv tftpwindowsize " + cfg.maxWindowSize(), t, null);
    long length = burn.job.length();
    TftpServer srv;
    try {
      String netns = burn.setting(UBootSettings.NETNS);
      UdpChannelFactory udp =
          netns.isEmpty() ? burn.env.udp() : UdpChannelFactory.inNamespace(netns);
      srv = TftpServer.start(cfg, burn.job.image(), length, udp, burn::report);
    } catch (IOException e) {
      throw new BurnFailure(
          Phase.CONFIGURE,
          "cannot start the TFTP server on "
              + server.getHostAddress()
              + ":"
              + port
              + ": "
              + e.getMessage()
              + "; check that server_ip is this station's address on the "
              + "fixture's interface and that no other TFTP server is running");
    }
    try (srv) {
      burn.enter(Phase.TRANSFER);
      long defTimeout = 30 + length / (1 << 20);
      try {
        burn.console.run(
            "tftpboot " + burn.recipe.vars.get("loadaddr") + " " + burn.job.imageName(),
            burn.seconds(UBootSettings.TFTP_TRANSFER_TIMEOUT, defTimeout));
      } catch (ConsoleException e) {
        String refusal = srv.lastRefusal();
        throw BurnFailure.of(
            Phase.TRANSFER,
            e,
            refusal.isEmpty()
                ? "check the Ethernet cable, device_ip and server_ip"
                : "the TFTP server refused: " + refusal);
      }
      burn.report(length, length);
    }
  }
}
