package io.burnguard.config;

import io.burnguard.config.Spec.Absolute;
import io.burnguard.config.Spec.Default;
import io.burnguard.config.Spec.Example;
import io.burnguard.config.Spec.Matches;
import io.burnguard.config.Spec.Optional;
import io.burnguard.config.Spec.Range;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The typed model of station.yaml. Every key of the file is a component here; the loader rejects
 * any other. Defaults, bounds and examples are the {@link Spec} annotations on the components.
 *
 * @param station who this station is and where it keeps its data
 * @param roles OS group name to BurnGuard role
 * @param server the designated server firmware comes from
 * @param trust what a release must be signed by
 * @param scanner the clamd used to scan every image
 * @param fixtures the burning fixtures attached to this station
 * @param models device models: barcode rule and flashing recipes
 * @param ports USB and serial port policy
 * @param retention how long cached data is kept
 * @param parts key storage parts: suppliers, formatting, verification, inventory
 * @param fleet where the station ships its audit chain centrally (issue 16); absent: it works alone
 */
public record StationConfig(
    Station station,
    Map<String, Role> roles,
    DesignatedServer server,
    Trust trust,
    Scanner scanner,
    @Optional List<Fixture> fixtures,
    @Optional Map<String, Model> models,
    @Optional Ports ports,
    @Optional Retention retention,
    @Optional Parts parts,
    @Optional Fleet fleet) {

  public StationConfig {
    ports = ports == null ? new Ports(PortMode.MONITOR, null) : ports;
    retention = retention == null ? new Retention(30) : retention;
    parts = parts == null ? Parts.defaults() : parts;
  }

  /** The station itself. */
  public record Station(
      @Matches(
              value = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
              means = "a station id (letters," + " digits, '.', '_' or '-', at most 64)")
          @Example("line3-station07")
          String id,
      @Absolute @Example("/var/lib/burnguard") Path dataDir,
      @Absolute @Default("/run/burnguard/control.sock") Path socket,
      @Optional @Example("burnguard") String socketGroup) {}

  /**
   * The designated server (docs/architecture.md, "Release format on the designated server"). {@code
   * caFile} (the CA that issued the server's certificate: chain, validity and host name are
   * checked), {@code spkiPin} (hex SHA-256 of the server's SubjectPublicKeyInfo: only the key is
   * checked, so an expired certificate or one for another host is accepted while the key matches),
   * or both together (strictest) say whom to trust; the system trust store is never used. {@code
   * readTimeout} bounds each read; {@code requestTimeout} bounds a whole document request, and an
   * image download may take {@code requestTimeout} plus its length at {@code minImageRate} KiB/s.
   * {@code burnNetworkTimeout} is the longest a burn waits on the server (to refresh an expired
   * withdrawal list); past it the burn is refused instead of holding the fixture.
   */
  public record DesignatedServer(
      @Example("https://firmware.factory.example/burnguard") URI url,
      @Optional @Absolute @Example("/etc/burnguard/server-ca.pem") Path caFile,
      @Optional @Matches(value = "[0-9a-fA-F]{64}", means = "a SHA-256 pin (64 hex digits)")
          String spkiPin,
      @Default("10s") @Range(min = 1, max = 300) Duration connectTimeout,
      @Default("60s") @Range(min = 1, max = 3600) Duration readTimeout,
      @Default("60s") @Range(min = 1, max = 3600) Duration requestTimeout,
      @Default("64") @Range(min = 1, max = 10485760) int minImageRate,
      @Default("5s") @Range(min = 1, max = 60) Duration burnNetworkTimeout) {
    public DesignatedServer {
      if (!"https".equalsIgnoreCase(url.getScheme())) {
        throw new IllegalArgumentException(
            "the designated server must be reached over https, found \""
                + url
                + "\"; write an https:// URL");
      }
      if (caFile == null && spkiPin == null) {
        throw new IllegalArgumentException(
            "give server.caFile, server.spkiPin, or both (found neither); BurnGuard trusts only"
                + " what you name for the designated server");
      }
    }
  }

  /**
   * What a release must be signed by. {@code signers} are the common names (CN) of the signer
   * certificates allowed; {@code serverCrls} are file names under {@code <base>/crl/} fetched on
   * every firmware fetch, in addition to the CRL files kept in {@code crlDir}. Every {@code
   * refreshInterval} the daemon fetches those CRLs and the withdrawal list, verifies them and
   * stores them ({@code crlDir}, the database), so a revocation or a recall reaches burns within
   * one interval.
   */
  public record Trust(
      @Absolute @Example("/etc/burnguard/release-root.pem") Path releaseRoot,
      @Absolute @Example("/var/lib/burnguard/crl") Path crlDir,
      @Default("1") @Range(min = 1, max = 16) int threshold,
      @Example("[\"Release Signer A\"]") List<String> signers,
      @Optional @Example("[release-ca.crl]") List<String> serverCrls,
      @Default("5m") @Range(min = 1, max = 86400) Duration refreshInterval) {
    public Trust {
      if (signers.isEmpty()) {
        throw new IllegalArgumentException(
            "trust.signers is empty, so no release could ever be accepted; list the allowed"
                + " signer names");
      }
      if (threshold > signers.size()) {
        throw new IllegalArgumentException(
            "trust.threshold is "
                + threshold
                + " but only "
                + signers.size()
                + " signer(s) are allowed, so no release could reach it; lower the threshold or"
                + " add signers");
      }
    }
  }

  /**
   * The clamd every image is scanned with. {@code databaseDir} is clamd's DatabaseDirectory (from
   * clamd.conf; clamd does not tell it over its socket): when given, scan verdicts are keyed on its
   * files as well as on clamd's VERSION, so an undated local database is rescanned only when it
   * changed (docs/decisions.md).
   */
  public record Scanner(
      @Matches(
              value = "unix:/.+|tcp://[^/:]+:\\d{1,5}",
              means = "a clamd address (unix:/path/to/clamd.ctl or tcp://host:port)")
          @Example("unix:/run/clamav/clamd.ctl")
          String clamd,
      @Default("2s") @Range(min = 0, max = 60) Duration connectTimeout,
      @Default("30s") @Range(min = 1, max = 3600) Duration readTimeout,
      @Default("10m") @Range(min = 1, max = 86400) Duration scanTimeout,
      @Default("3d") @Range(min = 60) Duration maxDatabaseAge,
      @Default("false") boolean allowUndatedDatabase,
      @Optional @Absolute @Example("/var/lib/clamav") Path databaseDir) {}

  /** A burning fixture: one device at a time on one port. */
  public record Fixture(
      @Matches(
              value = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}",
              means = "a fixture id (letters," + " digits, '.', '_' or '-', at most 32)")
          @Example("fx1")
          String id,
      @Example("uboot-tftp") String driver,
      @Example("/dev/serial/by-id/usb-FTDI_FT232R_A1B2C3-if00-port0") String port,
      @Example("IPC-X1") String model,
      @Optional Map<String, String> settings) {}

  /**
   * A device model.
   *
   * @param barcodeRule the regular expression every unit barcode must match entirely (a work order
   *     may give its own)
   * @param checkDigit the barcode's check-digit scheme
   * @param recipe how the burner writes and reads back this model's flash
   */
  public record Model(
      @Optional Pattern barcodeRule, @Optional CheckDigit checkDigit, @Optional Recipe recipe) {}

  /**
   * The commands that flash a model, run by the fixture's driver (U-Boot commands for the U-Boot
   * drivers), with variables such as {@code ${loadaddr}}, {@code ${size_hex}}, {@code
   * ${blocks_hex}}, {@code ${erase_size}} and the model's own {@code variables}.
   *
   * @param write commands that write the loaded image to flash
   * @param readBack commands that make the device compute the checksum of what is in flash (e.g.
   *     {@code crc32}); a burn never passes without it
   * @param variables model-specific values such as {@code flash_offset} or {@code erase_block}
   */
  public record Recipe(
      @Example("[\"sf probe 0\", \"sf write ${loadaddr} ${flash_offset} ${size_hex}\"]")
          List<String> write,
      @Example(
              "[\"sf read ${readaddr} ${flash_offset} ${size_hex}\", \"crc32 ${readaddr} ${size_hex}\"]")
          List<String> readBack,
      @Optional Map<String, String> variables) {
    public Recipe {
      if (write.isEmpty()) {
        throw new IllegalArgumentException("recipe.write is empty; list the flashing commands");
      }
      if (readBack.isEmpty()) {
        throw new IllegalArgumentException(
            "recipe.readBack is empty; a burn never passes without the device's own checksum of"
                + " the flash, so list the read-back commands (e.g. crc32)");
      }
    }
  }

  /** Check-digit schemes for barcodes. */
  public enum CheckDigit {
    NONE,
    GS1_MOD10,
    ISO7064_MOD11_2,
    ISO7064_MOD37_2
  }

  /**
   * How USB and serial port use is handled.
   *
   * @param mode enforce, monitor or off
   * @param rulesFile the USB policy in USBGuard's rule language
   * @param syslog where every alert is also sent as RFC 5424 syslog, for the plant's SIEM: {@code
   *     unix:/dev/log}, {@code udp://HOST:PORT} or {@code tcp://HOST:PORT}; none when absent
   */
  public record Ports(
      @Default("monitor") PortMode mode,
      @Optional @Absolute Path rulesFile,
      @Optional
          @Matches(
              value = "unix:/.+|(udp|tcp)://[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}",
              means = "a syslog target: unix:/dev/log, udp://HOST:PORT or tcp://HOST:PORT")
          @Example("unix:/dev/log")
          String syslog) {

    /** No syslog target. */
    public Ports(PortMode mode, Path rulesFile) {
      this(mode, rulesFile, null);
    }
  }

  /** Port policy modes. */
  public enum PortMode {
    /** Devices the rules do not allow are blocked and alerted. */
    ENFORCE,
    /** Devices the rules do not allow are alerted only. */
    MONITOR,
    /** Ports are not watched. */
    OFF
  }

  /** How long cached data is kept. */
  public record Retention(@Default("30") @Range(min = 1, max = 3650) int firmwareDays) {}

  /**
   * Key storage parts (issue 15): who may supply them, how a sanitized part is formatted and
   * verified, and how often they are counted.
   *
   * @param suppliers the suppliers parts may come from; a part from any other is refused at
   *     registration (none listed: no part can be registered)
   * @param fileSystem the file system a sanitized part gets
   * @param labelPattern its volume label; {@code ${part}} is replaced by the part id, and the
   *     result must be at most 11 characters of A-Z, 0-9, '_' or '-' (the FAT limit)
   * @param inventoryInterval how often the parts at this station must be counted before an
   *     inventory is overdue
   * @param inventoryCheck how often the daemon checks, on its own, for overdue parts (and counts
   *     the block devices present); each overdue part is alerted once
   * @param verification the read-back after overwriting: {@code full} (every byte) or {@code
   *     sample} ({@code samplePercent} of the chunks plus the first and last)
   * @param samplePercent the share read back when {@code verification} is {@code sample}
   */
  public record Parts(
      @Optional @Example("[\"Acme Memory Ltd\"]") List<String> suppliers,
      @Default("vfat") PartsFileSystem fileSystem,
      @Default("BG${part}")
          @Matches(
              value = "[A-Za-z0-9_-]*\\$\\{part\\}[A-Za-z0-9_-]*",
              means = "a label pattern: letters, digits, '_' or '-' around one ${part}")
          String labelPattern,
      @Default("7d") @Range(min = 3600, max = 31536000) Duration inventoryInterval,
      @Default("1h") @Range(min = 1, max = 86400) Duration inventoryCheck,
      @Default("full") PartsVerification verification,
      @Default("10") @Range(min = 1, max = 100) int samplePercent) {
    public Parts {
      suppliers = suppliers == null ? List.of() : List.copyOf(suppliers);
    }

    /** The values used when station.yaml has no {@code parts} section. */
    public static Parts defaults() {
      return new Parts(
          List.of(),
          PartsFileSystem.VFAT,
          "BG${part}",
          Duration.ofDays(7),
          Duration.ofHours(1),
          PartsVerification.FULL,
          10);
    }
  }

  /** File systems a sanitized part can get. */
  public enum PartsFileSystem {
    /** FAT, created with mkfs.vfat (dosfstools). */
    VFAT,
    /** exFAT, created with mkfs.exfat (exfatprogs). */
    EXFAT
  }

  /** Read-back after overwriting a part. */
  public enum PartsVerification {
    /** Every byte is read back. */
    FULL,
    /** A random sample of chunks is read back. */
    SAMPLE
  }

  /**
   * The fleet ledger (docs/fleet.md): the station ships its audit chain entries and signed heads to
   * one PostgreSQL as its own role, authenticated by a TLS client certificate.
   *
   * @param jdbcUrl the PostgreSQL JDBC URL, e.g. {@code jdbc:postgresql://ledger:5432/burnguard}
   * @param role this station's PostgreSQL login role (the CN of its client certificate)
   * @param clientCert the station's client certificate (PEM)
   * @param clientKey the client certificate's private key (PKCS#8 DER, as the driver reads it)
   * @param serverCa the CA the server certificate must chain to (pinned; {@code verify-full})
   * @param batchSize chain entries per shipped batch
   * @param interval how often the shipper wakes, and the longest time between two anchored heads
   * @param maxLag unshipped entries older than this raise an alert and show in doctor
   */
  public record Fleet(
      @Example("jdbc:postgresql://ledger.factory.example:5432/burnguard") String jdbcUrl,
      @Example("station_line1_01") String role,
      @Absolute @Example("/etc/burnguard/fleet-client.pem") Path clientCert,
      @Absolute @Example("/etc/burnguard/fleet-client.pk8") Path clientKey,
      @Absolute @Example("/etc/burnguard/fleet-ca.pem") Path serverCa,
      @Default("500") @Range(min = 1, max = 10000) int batchSize,
      @Default("30s") @Range(min = 1, max = 3600) Duration interval,
      @Default("1h") @Range(min = 60, max = 2592000) Duration maxLag) {}
}
