package org.ppml.kms.attest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.PckCertificate;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.dcap.VerificationStep;
import org.ppml.attestation.quote.Quote;
import org.ppml.crypto.fs.BoundedFile;

/**
 * Collateral bundles kept in a directory, one {@code *.json} per platform, for brokers that cannot
 * reach a PCCS. A quote gets the bundle whose TCB Info is for its TEE type and FMSPC and whose PCK
 * CRL was issued by the CA that issued its PCK certificate. The directory is read once, at start:
 * replacing a bundle means restarting the broker, as changing any trust input should.
 *
 * <p>Bundles without CRLs follow {@link CrlMode#requireRevocationData}: under {@code off} such a
 * bundle serves its platform whichever CA issued the PCK certificate (nothing else in a bundle
 * depends on the CA), so it is the only bundle for that platform; under {@code strict} (the
 * broker's) or {@code lenient} it stops the load, naming the file, the missing fields and the mode.
 */
public final class CollateralDirectory implements CollateralSource {
  /** The most bundles one directory may hold; far more platform types than any fleet has. */
  static final int MAX_BUNDLES = 1000;

  /** {@code pckCrlIssuer} is null for a bundle without a PCK CRL: it covers every PCK CA. */
  private record Entry(CollateralBundle bundle, X500Name pckCrlIssuer, Path file) {
    boolean covers(X500Name issuer) {
      return pckCrlIssuer == null || pckCrlIssuer.equals(issuer);
    }
  }

  private final Path dir;
  private final Map<String, List<Entry>> byPlatform;

  private CollateralDirectory(Path dir, Map<String, List<Entry>> byPlatform) {
    this.dir = dir;
    this.byPlatform = byPlatform;
  }

  /** Reads every {@code *.json} bundle in {@code dir} for a verifier with strict CRLs. */
  public static CollateralDirectory load(Path dir) throws IOException {
    return load(dir, CrlMode.STRICT);
  }

  /**
   * Reads every {@code *.json} bundle in {@code dir}.
   *
   * @param crlMode the CRL mode of the verifier the bundles are for
   * @throws IOException naming the file at fault: unreadable, too large, not a bundle, without the
   *     CRLs the mode needs, or a second bundle for a platform another file already covers
   */
  public static CollateralDirectory load(Path dir, CrlMode crlMode) throws IOException {
    Map<String, List<Entry>> byPlatform = new HashMap<>();
    int count = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        if (++count > MAX_BUNDLES) {
          throw new IOException(dir + " holds more than " + MAX_BUNDLES + " collateral bundles");
        }
        Entry entry = read(file, crlMode);
        String key =
            key(entry.bundle().tcbInfo().id(), Hex.toHexString(entry.bundle().tcbInfo().fmspc()));
        List<Entry> same = byPlatform.computeIfAbsent(key, k -> new ArrayList<>());
        for (Entry other : same) {
          if (other.pckCrlIssuer() == null
              || entry.pckCrlIssuer() == null
              || other.pckCrlIssuer().equals(entry.pckCrlIssuer())) {
            throw new IOException(
                file
                    + " and "
                    + other.file()
                    + " are both collateral for "
                    + key
                    + (entry.pckCrlIssuer() == null || other.pckCrlIssuer() == null
                        ? " (one without a PCK CRL covers every PCK CA)"
                        : " under " + entry.pckCrlIssuer())
                    + "; keep one");
          }
        }
        same.add(entry);
      }
    }
    if (count == 0) {
      throw new IOException(dir + " holds no collateral bundle (*.json)");
    }
    return new CollateralDirectory(dir, byPlatform);
  }

  private static Entry read(Path file, CrlMode crlMode) throws IOException {
    byte[] bytes = BoundedFile.read(file, CollateralBundle.MAX_SIZE);
    CollateralBundle bundle;
    X500Name pckCrlIssuer;
    try {
      bundle = CollateralBundle.parse(bytes);
      pckCrlIssuer =
          bundle.pckCrl().length == 0 ? null : new X509CRLHolder(bundle.pckCrl()).getIssuer();
    } catch (CollateralFormatException | IOException | RuntimeException e) {
      throw new IOException(file + " is not a collateral bundle: " + e.getMessage(), e);
    }
    try {
      crlMode.requireRevocationData(bundle);
    } catch (CollateralFormatException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    return new Entry(bundle, pckCrlIssuer, file);
  }

  private static String key(String tee, String fmspcHex) {
    return tee + " FMSPC " + fmspcHex;
  }

  @Override
  public CollateralBundle collateralFor(Quote quote, Instant now) throws VerificationException {
    PckCertificate pck = PckCertificate.fromQuote(quote);
    String key = key(quote.teeType().name(), Hex.toHexString(pck.extensions().fmspc()));
    X500Name issuer = pck.certificate().getIssuer();
    for (Entry e : byPlatform.getOrDefault(key, List.of())) {
      if (e.covers(issuer)) {
        return e.bundle();
      }
    }
    // A platform the operator has not provisioned: the evidence names no platform we can judge.
    throw new VerificationException(
        VerificationStep.FMSPC_PCEID,
        "no collateral bundle in " + dir + " for " + key + " under " + issuer);
  }

  @Override
  public List<CollateralBundle> heldBundles() {
    List<CollateralBundle> all = new ArrayList<>();
    byPlatform.values().forEach(entries -> entries.forEach(e -> all.add(e.bundle())));
    return all;
  }

  @Override
  public String toString() {
    return "CollateralDirectory[" + dir + ", " + byPlatform.size() + " platform(s)]";
  }
}
