package org.ppml.graphene.attestation;

/**
 * Gramine's {@code /dev/attestation} cannot give a DCAP quote: it is missing, attestation is not
 * configured as DCAP, or it returned something that is not a quote.
 */
public final class GramineAttestationException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, with the file involved
   */
  public GramineAttestationException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong
   * @param cause the I/O failure
   */
  public GramineAttestationException(String message, Throwable cause) {
    super(message, cause);
  }
}
