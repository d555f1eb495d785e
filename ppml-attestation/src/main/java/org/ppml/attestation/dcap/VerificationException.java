package org.ppml.attestation.dcap;

import org.ppml.attestation.AttestationException;

/** A quote did not verify; {@link #step()} names the verification step that failed. */
public final class VerificationException extends AttestationException {
  private static final long serialVersionUID = 1L;

  private final VerificationStep step;

  public VerificationException(VerificationStep step, String message) {
    super(step.description() + ": " + message);
    this.step = step;
  }

  public VerificationException(VerificationStep step, String message, Throwable cause) {
    super(step.description() + ": " + message, cause);
    this.step = step;
  }

  /** The step that failed. */
  public VerificationStep step() {
    return step;
  }

  @Override
  public String code() {
    return step.name();
  }

  @Override
  public boolean isInputError() {
    return false;
  }
}
