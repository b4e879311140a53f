package io.burnguard.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.burnguard.agent.contract.ExitCode;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.ReleaseVerifier;
import io.burnguard.agent.vetting.SignerIdentity;
import io.burnguard.agent.vetting.TrustLoader;
import io.burnguard.agent.vetting.TrustMaterialException;
import io.burnguard.agent.vetting.TrustPolicy;
import io.burnguard.agent.vetting.VerifiedRelease;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code burnguard firmware verify}: the offline release check for line scripts and auditors
 * (docs/architecture.md, "CLI contract"). No daemon, no network; the signature is read from {@code
 * M.p7s}. Exit 0 accepted, 2 usage or unreadable input, 3 refused (with its reason code).
 */
@Command(
    name = "verify",
    description = "Verify a signed release offline: signatures, chain, CRLs, model, image.",
    mixinStandardHelpOptions = true)
public final class FirmwareVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--manifest", required = true, description = "manifest.json (M.p7s is read too)")
  Path manifest;

  @Option(names = "--image", required = true, description = "the image file")
  Path image;

  @Option(names = "--trust", required = true, description = "the release root certificate (PEM)")
  Path trust;

  @Option(names = "--crl", description = "a CRL of the root or an intermediate (repeatable)")
  List<Path> crls = new ArrayList<>();

  @Option(names = "--model", description = "the station's product model to check")
  String model;

  @Option(names = "--threshold", defaultValue = "1", description = "distinct signer keys needed")
  int threshold;

  @Option(names = "--no-crl", description = "skip revocation (not for production)")
  boolean noCrl;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  private final Clock clock;

  /** A command on the system clock. */
  public FirmwareVerifyCommand() {
    this(Clock.systemUTC());
  }

  /** A command on {@code clock} (tests). */
  public FirmwareVerifyCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrustPolicy policy;
    byte[] m;
    byte[] sig;
    Path sigFile = Path.of(manifest + ".p7s");
    try {
      policy =
          TrustLoader.offline(trust, crls, noCrl, threshold, Optional.ofNullable(model))
              .load(clock);
      m = Files.readAllBytes(manifest);
      sig = Files.readAllBytes(sigFile);
      if (!Files.isRegularFile(image)) {
        throw new NoSuchFileException(image.toString());
      }
    } catch (TrustMaterialException e) {
      return usage(err, e.getMessage());
    } catch (NoSuchFileException e) {
      return usage(err, "file not found: " + e.getMessage());
    } catch (IOException e) {
      return usage(err, e.getMessage());
    }
    try {
      VerifiedRelease r = ReleaseVerifier.verifyOffline(policy, manifest.toString(), m, sig);
      ReleaseVerifier.checkImage(r.manifest(), image);
      report(out, r);
      return ExitCode.OK.code();
    } catch (ReleaseRejectedException e) {
      refused(json ? out : err, e);
      return ExitCode.REFUSED.code();
    } catch (IOException e) {
      return usage(err, "cannot read " + image + ": " + e.getMessage());
    }
  }

  private void report(PrintWriter out, VerifiedRelease r) {
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("result", "accepted");
      n.put("name", r.manifest().name());
      n.put("version", r.manifest().version());
      n.put("sha256", r.manifest().sha256());
      n.put("length", r.manifest().length());
      ArrayNode signers = n.putArray("signers");
      for (SignerIdentity s : r.signers()) {
        signers
            .addObject()
            .put("name", s.commonName())
            .put("subject", s.subject())
            .put("serial", s.serialHex())
            .put("keySha256", s.keySha256());
      }
      ArrayNode skipped = n.putArray("notChecked");
      r.skipped().forEach(skipped::add);
      out.println(n.toString());
    } else {
      out.printf(
          "ACCEPTED %s %s for %s, signed by %s; image %s matches (%d bytes)%n",
          r.manifest().name(),
          r.manifest().version(),
          r.manifest().models(),
          String.join(", ", r.signerNames()),
          r.manifest().sha256(),
          r.manifest().length());
      out.println("Not checked: " + String.join("; ", r.skipped()));
    }
    out.flush();
  }

  private void refused(PrintWriter w, ReleaseRejectedException e) {
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("result", "refused");
      n.put("reason", e.reason().name());
      n.put("detail", e.detail());
      n.put("advice", e.reason().advice());
      w.println(n.toString());
    } else {
      w.println("REFUSED " + e.getMessage());
    }
    w.flush();
  }

  private static int usage(PrintWriter err, String message) {
    err.println("burnguard firmware verify: " + message);
    err.flush();
    return ExitCode.USAGE.code();
  }
}
