package io.burnguard.agent.cli;

import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.vetting.Manifest;
import io.burnguard.agent.vetting.ReleaseSigner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code burnguard release sign}: the release side. Writes {@code DIR/manifest.json} and {@code
 * DIR/manifest.json.p7s} (detached DER CMS, one SignerInfo per {@code --key}), which {@code openssl
 * cms -verify -binary -inform DER} also accepts. Passwords are given as {@code pass:TEXT}, {@code
 * env:VAR} or {@code file:PATH} (as OpenSSL's -passin), so they need not appear in {@code ps}.
 */
@Command(name = "sign", description = "Write and sign manifest.json for a release image.")
public final class ReleaseSignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // No mixinStandardHelpOptions: its -V/--version would collide with the release --version.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help")
  boolean help;

  @Option(names = "--image", required = true, description = "the image file")
  Path image;

  @Option(names = "--name", required = true, description = "release name, e.g. ipc-x1-main")
  String name;

  @Option(names = "--version", required = true, description = "release version, e.g. 5.4.1")
  String version;

  @Option(
      names = "--model",
      required = true,
      arity = "1..*",
      description = "product model(s) the release is for")
  List<String> models = new ArrayList<>();

  @Option(names = "--key", required = true, description = "a PKCS#12 signing key (repeatable)")
  List<Path> keys = new ArrayList<>();

  @Option(
      names = "--key-pass",
      description = "pass:TEXT | env:VAR | file:PATH; one for all keys or one per --key")
  List<String> keyPasses = new ArrayList<>();

  @Option(names = "--allow-downgrade", description = "let stations accept it below their newest")
  boolean allowDowngrade;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  private final Clock clock;

  /** A command on the system clock. */
  public ReleaseSignCommand() {
    this(Clock.systemUTC());
  }

  /** A command on {@code clock} (the manifest's {@code issued}). */
  public ReleaseSignCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (keyPasses.size() > 1 && keyPasses.size() != keys.size()) {
      return usage(
          err,
          String.format(
              Locale.ROOT,
              "%d --key-pass for %d --key; give one for all keys or one per key",
              keyPasses.size(),
              keys.size()));
    }
    Manifest manifest;
    List<ReleaseSigner.SigningKey> signers = new ArrayList<>();
    try {
      for (int i = 0; i < keys.size(); i++) {
        String pass = keyPasses.isEmpty() ? "pass:" : keyPasses.get(keyPasses.size() == 1 ? 0 : i);
        try {
          signers.add(ReleaseSigner.loadPkcs12(keys.get(i), password(pass)));
        } catch (GeneralSecurityException | IOException e) {
          return usage(err, "cannot load the key " + keys.get(i) + ": " + e.getMessage());
        }
      }
      manifest =
          ReleaseSigner.manifestFor(image, name, version, models, clock.instant(), allowDowngrade);
    } catch (IllegalArgumentException e) {
      return usage(err, e.getMessage());
    } catch (IOException e) {
      return usage(err, "cannot read " + image + ": " + e.getMessage());
    }
    try {
      byte[] bytes = ReleaseSigner.manifestBytes(manifest);
      byte[] sig = ReleaseSigner.sign(bytes, signers);
      Files.createDirectories(out);
      writeAtomically(out.resolve("manifest.json"), bytes);
      writeAtomically(out.resolve("manifest.json.p7s"), sig);
    } catch (GeneralSecurityException e) {
      return usage(err, e.getMessage());
    } catch (IOException e) {
      return usage(err, "cannot write to " + out + ": " + e.getMessage());
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "Signed %s %s (%d bytes, sha256 %s) with %d key(s).%n"
            + "Wrote %s and %s.%n"
            + "Publish them with the image as <base>/releases/%s/%s/{manifest.json,"
            + "manifest.json.p7s,%s}.%n",
        manifest.name(),
        manifest.version(),
        manifest.length(),
        manifest.sha256(),
        signers.size(),
        out.resolve("manifest.json"),
        out.resolve("manifest.json.p7s"),
        manifest.name(),
        manifest.version(),
        manifest.file());
    o.flush();
    return ExitCode.OK.code();
  }

  /** Resolves an OpenSSL-style password source. */
  static char[] password(String source) throws IOException {
    if (source.startsWith("pass:")) {
      return source.substring(5).toCharArray();
    }
    if (source.startsWith("env:")) {
      String v = System.getenv(source.substring(4));
      if (v == null) {
        throw new IOException("environment variable " + source.substring(4) + " is not set");
      }
      return v.toCharArray();
    }
    if (source.startsWith("file:")) {
      String first =
          Files.readString(Path.of(source.substring(5)), StandardCharsets.UTF_8)
              .lines()
              .findFirst()
              .orElse("");
      return first.toCharArray();
    }
    throw new IOException(
        "--key-pass must start with pass:, env: or file:, found '"
            + source.replaceAll(".", "*")
            + "'");
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(parent, ".sign-", ".tmp");
    try {
      Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static int usage(PrintWriter err, String message) {
    err.println("burnguard release sign: " + message);
    err.flush();
    return ExitCode.USAGE.code();
  }
}
