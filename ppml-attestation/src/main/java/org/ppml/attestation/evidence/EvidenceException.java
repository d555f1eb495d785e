package org.ppml.attestation.evidence;

import org.ppml.crypto.CodedFailure;

/** A provider could not produce evidence (no TEE device, driver error, bad report data). */
public final class EvidenceException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  public EvidenceException(String message) {
    super(message);
  }

  public EvidenceException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "evidence";
  }

  @Override
  public boolean isVerdict() {
    return false;
  }
}
