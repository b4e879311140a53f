package io.burnguard.agent.vetting;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a {@link TrustPolicy} from trust material on disk: the one place the daemon (station.yaml's
 * {@code trust} section) and the offline {@code firmware verify} command (its flags) build it.
 *
 * <p>Order: the settings' own rules first ({@link TrustPolicy#checkThreshold}, {@link
 * TrustPolicy#checkRevocation}), so a contradiction is named before any missing file; then the
 * pinned root, then the CRLs. Any unreadable file refuses the whole policy (fail closed): nothing
 * falls back to a partial set of CRLs or to no root. Messages name the input as the user wrote it
 * (station.yaml key or flag), the file, and the fix.
 *
 * <p>A loader holds paths, not contents: {@link #load} reads the files each time, so the daemon
 * picks up a renewed CRL dropped into {@code crlDir} at its next fetch or burn.
 */
public final class TrustLoader {
  /** How the inputs are named in messages, and what fixes them. */
  private record Inputs(
      String root,
      String rootFix,
      String crls,
      String crlFix,
      String noRevocation,
      String threshold) {}

  private static final Inputs STATION =
      new Inputs(
          "trust.releaseRoot",
          "install the PEM file there, nothing is trusted without it",
          "trust.crlDir",
          "replace or remove it",
          "revocation off",
          "trust.threshold");

  private static final Inputs OFFLINE =
      new Inputs(
          "--trust",
          "give the release root certificate (PEM or DER); nothing is trusted without it",
          "--crl",
          "give a CRL of the release root or an intermediate (PEM or DER)",
          "--no-crl",
          "--threshold");

  /** Lists the CRL files at load time (a station's directory is read again every time). */
  @FunctionalInterface
  private interface CrlFiles {
    List<Path> list() throws IOException;
  }

  private final Inputs inputs;
  private final Path root;
  private final CrlFiles crlFiles;
  private final Path crlDir;
  private final TrustPolicy.Revocation revocation;
  private final int threshold;
  private final Set<String> signers;
  private final Optional<String> model;

  private TrustLoader(
      Inputs inputs,
      Path root,
      CrlFiles crlFiles,
      Path crlDir,
      TrustPolicy.Revocation revocation,
      int threshold,
      Set<String> signers,
      Optional<String> model) {
    this.inputs = inputs;
    this.root = root;
    this.crlFiles = crlFiles;
    this.crlDir = crlDir;
    this.revocation = revocation;
    this.threshold = threshold;
    this.signers = Set.copyOf(signers);
    this.model = model;
  }

  /**
   * A station's trust: the pinned root, every regular file in {@code crlDir} as a CRL (a missing
   * directory holds none, and revocation then fails closed at verification), revocation required,
   * the threshold and the signer allow-list. No model: the burn adds the fixture's ({@link
   * TrustPolicy#withModel}).
   */
  public static TrustLoader station(
      Path releaseRoot, Path crlDir, int threshold, Collection<String> signers) {
    return new TrustLoader(
        STATION,
        releaseRoot,
        () -> regularFiles(crlDir),
        crlDir,
        TrustPolicy.Revocation.REQUIRE_CRL,
        threshold,
        new LinkedHashSet<>(signers),
        Optional.empty());
  }

  /**
   * The offline command's trust: the given root and CRL files, revocation off only when asked
   * ({@code --no-crl}), no signer allow-list, and the model to check if one was given.
   */
  public static TrustLoader offline(
      Path root, List<Path> crls, boolean noCrl, int threshold, Optional<String> model) {
    List<Path> files = List.copyOf(crls);
    return new TrustLoader(
        OFFLINE,
        root,
        () -> files,
        null,
        noCrl ? TrustPolicy.Revocation.NONE : TrustPolicy.Revocation.REQUIRE_CRL,
        threshold,
        Set.of(),
        model);
  }

  /** Reads the trust material now and builds the policy on {@code clock}. */
  public TrustPolicy load(Clock clock) throws TrustMaterialException {
    checkSettings();
    X509Certificate rootCert = rootCertificate();
    List<X509CRL> crls = crls();
    return new TrustPolicy(rootCert, crls, revocation, threshold, signers, clock, model);
  }

  private void checkSettings() throws TrustMaterialException {
    try {
      TrustPolicy.checkThreshold(threshold);
    } catch (IllegalArgumentException e) {
      throw new TrustMaterialException(
          inputs.threshold(), inputs.threshold() + ": " + e.getMessage(), e);
    }
    if (crlDir != null) {
      return; // revocation is always on for a station: nothing can contradict it
    }
    try {
      TrustPolicy.checkRevocation(revocation, listCrls().size());
    } catch (IllegalArgumentException e) {
      throw new TrustMaterialException(
          inputs.crls(),
          inputs.noRevocation() + " and " + inputs.crls() + ": " + e.getMessage(),
          e);
    }
  }

  private X509Certificate rootCertificate() throws TrustMaterialException {
    try {
      return TrustFiles.certificate(root);
    } catch (IOException e) {
      throw new TrustMaterialException(
          inputs.root(),
          inputs.root()
              + " "
              + root
              + " cannot be read as a certificate ("
              + why(e)
              + "); "
              + inputs.rootFix(),
          e);
    }
  }

  private List<X509CRL> crls() throws TrustMaterialException {
    List<X509CRL> out = new ArrayList<>();
    for (Path f : listCrls()) {
      try {
        out.add(TrustFiles.crl(f));
      } catch (IOException e) {
        throw crlProblem(f, e);
      }
    }
    return out;
  }

  private List<Path> listCrls() throws TrustMaterialException {
    try {
      return crlFiles.list();
    } catch (IOException e) {
      throw crlProblem(null, e);
    }
  }

  private TrustMaterialException crlProblem(Path file, IOException e) {
    if (crlDir != null) {
      return new TrustMaterialException(
          inputs.crls(),
          "a CRL in "
              + inputs.crls()
              + " "
              + crlDir
              + " cannot be read: "
              + why(e)
              + "; "
              + inputs.crlFix(),
          e);
    }
    return new TrustMaterialException(
        inputs.crls(),
        inputs.crls()
            + " "
            + file
            + " cannot be read as a CRL ("
            + why(e)
            + "); "
            + inputs.crlFix(),
        e);
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f)) {
          files.add(f);
        }
      }
    }
    files.sort(null);
    return files;
  }

  private static String why(IOException e) {
    return e instanceof NoSuchFileException ? e.getMessage() + ": no such file" : e.getMessage();
  }
}
