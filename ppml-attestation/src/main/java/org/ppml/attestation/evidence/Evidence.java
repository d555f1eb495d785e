package org.ppml.attestation.evidence;

import java.util.Objects;
import org.ppml.attestation.quote.TeeType;

/**
 * Attestation evidence as a provider produced it: the raw quote and the TEE it claims to be from.
 */
public final class Evidence {
  private final TeeType teeType;
  private final byte[] quote;
  private final String provider;

  public Evidence(TeeType teeType, byte[] quote, String provider) {
    this.teeType = Objects.requireNonNull(teeType, "teeType");
    this.quote = quote.clone();
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  public TeeType teeType() {
    return teeType;
  }

  /** The raw quote bytes. */
  public byte[] quote() {
    return quote.clone();
  }

  /** The name of the provider that produced it, e.g. {@code simulated}. */
  public String provider() {
    return provider;
  }

  @Override
  public String toString() {
    return "Evidence[" + teeType + ", " + quote.length + " bytes, provider=" + provider + "]";
  }
}
