package org.ppml.attestation.dcap;

import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteFormatException;

/**
 * The PCK leaf certificate carried by a quote, read without verifying it: what a collateral fetcher
 * needs to know which TCB Info (FMSPC) and which PCK CRL (Platform or Processor CA) to ask for.
 * Verification happens later, in {@link QuoteVerifier}.
 */
public final class PckCertificate {
  /**
   * Which Intel PCK CA issued the certificate; selects the PCK CRL ({@code ca=processor|platform}).
   */
  public enum Issuer {
    PROCESSOR("processor"),
    PLATFORM("platform");

    private final String pcsName;

    Issuer(String pcsName) {
      this.pcsName = pcsName;
    }

    /** The value of the PCS {@code ca} query parameter. */
    public String pcsName() {
      return pcsName;
    }
  }

  private final X509CertificateHolder certificate;
  private final SgxExtensions extensions;
  private final Issuer issuer;

  private PckCertificate(
      X509CertificateHolder certificate, SgxExtensions extensions, Issuer issuer) {
    this.certificate = certificate;
    this.extensions = extensions;
    this.issuer = issuer;
  }

  /**
   * Reads the PCK leaf of a quote's certification data.
   *
   * @throws VerificationException ({@link VerificationStep#PCK_CERT_CHAIN}) if there is no readable
   *     PCK certificate
   */
  public static PckCertificate fromQuote(Quote quote) throws VerificationException {
    String pem;
    try {
      pem = quote.qeCertificationData().certificationData().pckCertChainPem();
    } catch (QuoteFormatException e) {
      throw new VerificationException(
          VerificationStep.PCK_CERT_CHAIN,
          "unsupported certification data type "
              + quote.qeCertificationData().certificationData().type());
    }
    X509CertificateHolder leaf = CertificateChain.parsePem(pem, "PCK certificate chain").get(0);
    return new PckCertificate(leaf, SgxExtensions.of(leaf), issuerOf(leaf));
  }

  private static Issuer issuerOf(X509CertificateHolder leaf) throws VerificationException {
    for (String cn : DistinguishedNames.values(leaf.getIssuer(), BCStyle.CN)) {
      if (cn.contains("Platform")) {
        return Issuer.PLATFORM;
      }
      if (cn.contains("Processor")) {
        return Issuer.PROCESSOR;
      }
    }
    throw new VerificationException(
        VerificationStep.PCK_CERT_CHAIN,
        "the PCK certificate's issuer is neither a Platform nor a Processor CA");
  }

  public X509CertificateHolder certificate() {
    return certificate;
  }

  public SgxExtensions extensions() {
    return extensions;
  }

  public Issuer issuer() {
    return issuer;
  }
}
