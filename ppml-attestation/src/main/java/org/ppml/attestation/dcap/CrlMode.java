package org.ppml.attestation.dcap;

import java.util.Locale;

/** How strictly certificate revocation lists are required (the CLI's {@code --crl}). */
public enum CrlMode {
  /** CRLs must be present, correctly signed and fresh. The default. */
  STRICT,
  /** CRLs must be correctly signed; a stale or missing CRL is accepted but reported. */
  LENIENT,
  /** No revocation check; the result says so. Only on explicit request. */
  OFF;

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
