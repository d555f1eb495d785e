package org.ppml.attestation.dcap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.crypto.fs.BoundedFile;

/**
 * The one certificate a verifier trusts: every PCK chain and every collateral issuer chain must end
 * at it.
 *
 * <p>{@link #intel()} is the Intel SGX Root CA, checked against its published SHA-256 when loaded.
 * A development root (simulated SGX, Stage 1) marks every result verified under it simulated, so
 * that a policy without {@code allowSimulated} rejects it.
 *
 * <p>A dev root is recognised by its own subject ({@code O=}{@value #DEVELOPMENT_ORGANIZATION},
 * which {@code ppml dev init} has always written), not only by how it was loaded: pinning {@code
 * ~/.ppml/dev/root-ca.pem} with a plain {@code --root}, or through {@link #of}, still yields
 * simulated results. Marking rather than refusing keeps one rule for every caller (CLI, key broker,
 * library users), and the mark is what policies already act on. The mark can only be added this
 * way, never removed, so a mislabelled root fails safe.
 */
public final class PinnedRoot {
  /** SHA-256 of the DER of the Intel SGX Root CA (docs/architecture.md). */
  public static final String INTEL_SGX_ROOT_CA_SHA256 =
      "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";

  /** Subject CN of the certificate Intel signs TCB Info and QE Identity with. */
  public static final String INTEL_TCB_SIGNING_CN = "Intel SGX TCB Signing";

  /**
   * Subject organisation of every development root ({@code ppml dev init}); it marks the root as
   * one.
   */
  public static final String DEVELOPMENT_ORGANIZATION = "PPML Development";

  /**
   * Subject CN of the dev PKI's TCB signing certificate, the dev counterpart of {@link
   * #INTEL_TCB_SIGNING_CN}.
   */
  public static final String DEVELOPMENT_TCB_SIGNING_CN = "PPML Dev SGX TCB Signing";

  private static final int MAX_CERT_FILE = 64 * 1024;

  private static volatile PinnedRoot intel;

  private final X509CertificateHolder certificate;
  private final byte[] der;
  private final boolean development;
  private final boolean intelRoot;

  private PinnedRoot(X509CertificateHolder certificate, boolean development) throws IOException {
    this.certificate = certificate;
    this.der = certificate.getEncoded();
    this.intelRoot = sha256Hex().equals(INTEL_SGX_ROOT_CA_SHA256);
    // A root that names itself a development root is one, whatever the caller said (class comment).
    this.development = development || isDevelopmentName(certificate.getSubject());
  }

  /** True if {@code name} carries {@code O=}{@link #DEVELOPMENT_ORGANIZATION}. */
  static boolean isDevelopmentName(X500Name name) {
    return DistinguishedNames.values(name, BCStyle.O).contains(DEVELOPMENT_ORGANIZATION);
  }

  /** The Intel SGX Root CA, from this module's resources, after checking its pinned hash. */
  public static PinnedRoot intel() {
    PinnedRoot r = intel;
    if (r == null) {
      try (InputStream in = PinnedRoot.class.getResourceAsStream("intel-sgx-root-ca.pem")) {
        if (in == null) {
          throw new IllegalStateException("intel-sgx-root-ca.pem is missing from the classpath");
        }
        X509CertificateHolder cert =
            CertificateChain.parsePem(
                    new String(in.readNBytes(MAX_CERT_FILE), StandardCharsets.US_ASCII),
                    "Intel root")
                .get(0);
        r = new PinnedRoot(cert, false);
      } catch (IOException | VerificationException e) {
        throw new IllegalStateException("cannot load the Intel SGX Root CA: " + e.getMessage(), e);
      }
      if (!r.sha256Hex().equals(INTEL_SGX_ROOT_CA_SHA256)) {
        throw new IllegalStateException(
            "the bundled Intel SGX Root CA does not have the pinned SHA-256");
      }
      intel = r;
    }
    return r;
  }

  /**
   * A root given explicitly (the CLI's {@code --root}): production, unless its subject marks it as
   * a development root.
   */
  public static PinnedRoot of(X509CertificateHolder certificate) throws IOException {
    return new PinnedRoot(certificate, false);
  }

  /** A development root (simulated SGX): results verified under it are marked simulated. */
  public static PinnedRoot development(X509CertificateHolder certificate) throws IOException {
    return new PinnedRoot(certificate, true);
  }

  /**
   * Reads a root certificate from a PEM or DER file.
   *
   * @param development whether to mark results under this root as simulated; a dev root is marked
   *     whatever this says
   * @throws IOException if the file cannot be read or holds no certificate
   */
  public static PinnedRoot fromFile(Path file, boolean development) throws IOException {
    byte[] bytes = BoundedFile.read(file, MAX_CERT_FILE);
    X509CertificateHolder cert;
    try {
      String text = new String(bytes, StandardCharsets.US_ASCII);
      cert =
          text.contains("-----BEGIN CERTIFICATE-----")
              ? CertificateChain.parsePem(text, file.toString()).get(0)
              : CertificateChain.parseDer(bytes, file.toString());
    } catch (VerificationException e) {
      throw new IOException(file + ": not an X.509 certificate");
    }
    return new PinnedRoot(cert, development);
  }

  public X509CertificateHolder certificate() {
    return certificate;
  }

  /** True for a development (simulated SGX) root. */
  public boolean isDevelopment() {
    return development;
  }

  /** True if this is the Intel SGX Root CA (by its pinned SHA-256), however it was loaded. */
  public boolean isIntel() {
    return intelRoot;
  }

  /**
   * The subject CN the TCB Info and QE Identity signer must have under this root, or null when the
   * root is neither Intel's nor a dev root and so has no known naming (only the structural rules of
   * step 4 apply then).
   */
  String collateralSignerCommonName() {
    if (intelRoot) {
      return INTEL_TCB_SIGNING_CN;
    }
    return isDevelopmentName(certificate.getSubject()) ? DEVELOPMENT_TCB_SIGNING_CN : null;
  }

  /** Lowercase hex SHA-256 of the root's DER. */
  public String sha256Hex() {
    try {
      return Hex.toHexString(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** True if {@code candidate} is exactly this root (same DER). */
  boolean matches(X509CertificateHolder candidate) {
    try {
      return Arrays.equals(der, candidate.getEncoded());
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "PinnedRoot["
        + certificate.getSubject()
        + ", sha256="
        + sha256Hex()
        + (development ? ", development" : "")
        + "]";
  }
}
