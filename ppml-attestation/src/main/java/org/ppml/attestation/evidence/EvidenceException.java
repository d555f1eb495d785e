package org.ppml.attestation.evidence;

/** A provider could not produce evidence (no TEE device, driver error, bad report data). */
public final class EvidenceException extends Exception {
  private static final long serialVersionUID = 1L;

  public EvidenceException(String message) {
    super(message);
  }

  public EvidenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
