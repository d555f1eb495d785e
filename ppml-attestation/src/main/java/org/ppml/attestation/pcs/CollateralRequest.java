package org.ppml.attestation.pcs;

import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.dcap.PckCertificate;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;

/**
 * What collateral a quote needs: the TEE type, the platform's FMSPC and the PCK CA that issued its
 * PCK.
 */
public record CollateralRequest(TeeType teeType, String fmspcHex, PckCertificate.Issuer pckCa) {

  public CollateralRequest {
    Objects.requireNonNull(teeType, "teeType");
    Objects.requireNonNull(pckCa, "pckCa");
    fmspcHex = fmspcHex.toLowerCase(Locale.ROOT);
    if (!fmspcHex.matches("[0-9a-f]{12}")) {
      throw new IllegalArgumentException("FMSPC must be 6 bytes of hex");
    }
  }

  /** Reads TEE type, FMSPC and PCK CA from the quote's (not yet verified) PCK certificate. */
  public static CollateralRequest forQuote(Quote quote) throws VerificationException {
    PckCertificate pck = PckCertificate.fromQuote(quote);
    return new CollateralRequest(
        quote.teeType(), Hex.toHexString(pck.extensions().fmspc()), pck.issuer());
  }

  /** The file name of this request's entry in a {@link CollateralCache}. */
  String cacheKey() {
    return teeType.name().toLowerCase(Locale.ROOT)
        + "-"
        + fmspcHex
        + "-"
        + pckCa.pcsName()
        + ".json";
  }
}
