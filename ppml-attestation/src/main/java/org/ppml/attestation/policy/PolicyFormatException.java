package org.ppml.attestation.policy;

import org.ppml.attestation.AttestationException;

/** A policy document is malformed; the message names the field. */
public final class PolicyFormatException extends AttestationException {
  private static final long serialVersionUID = 1L;

  public PolicyFormatException(String message) {
    super("malformed policy: " + message);
  }

  @Override
  public String code() {
    return "POLICY_FORMAT";
  }

  @Override
  public boolean isInputError() {
    return true;
  }
}
