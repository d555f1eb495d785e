package org.ppml.attestation.dcap;

import java.util.List;
import java.util.Locale;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;

/** How strictly certificate revocation lists are required (the CLI's {@code --crl}). */
public enum CrlMode {
  /** CRLs must be present, correctly signed and fresh. The default. */
  STRICT,
  /** CRLs must be present and correctly signed; a stale CRL is accepted but reported. */
  LENIENT,
  /**
   * No revocation check; the result says so. Only on explicit request. The bundle's CRL fields are
   * then optional, and the verdict is otherwise the one the same bundle with CRLs would get.
   */
  OFF;

  /**
   * The one rule for bundles without CRLs, applied wherever a bundle is read (the CLI, the
   * verifier, the broker's collateral directory and bundle file, the PCCS cache): {@link #OFF}
   * needs none of the revocation fields, {@link #STRICT} and {@link #LENIENT} need all three.
   *
   * @throws CollateralFormatException naming every missing field and this mode
   */
  public void requireRevocationData(CollateralBundle bundle) throws CollateralFormatException {
    if (this == OFF) {
      return;
    }
    List<String> missing = bundle.missingRevocationFields();
    if (missing.isEmpty()) {
      return;
    }
    throw new CollateralFormatException(
        "bundle has no "
            + String.join(", ", missing)
            + ", which CRL mode "
            + cliName()
            + " requires (CRL mode off verifies without CRLs and reports that revocation was not"
            + " checked)");
  }

  /** The name the CLI's {@code --crl} takes. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code strict|lenient|off}, case-insensitively. */
  public static CrlMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CRL mode must be strict, lenient or off, not \"" + s + "\"");
    }
  }
}
