package org.ppml.attestation.collateral;

import org.ppml.attestation.AttestationException;

/** Collateral (bundle, TCB Info or QE Identity JSON) is malformed; the message names the field. */
public final class CollateralFormatException extends AttestationException {
  private static final long serialVersionUID = 1L;

  public CollateralFormatException(String message) {
    super("malformed collateral: " + message);
  }

  @Override
  public String code() {
    return "COLLATERAL_FORMAT";
  }

  @Override
  public boolean isInputError() {
    return true;
  }
}
