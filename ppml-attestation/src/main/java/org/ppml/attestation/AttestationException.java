package org.ppml.attestation;

import org.ppml.crypto.CodedFailure;

/**
 * Base of every checked error this module raises about untrusted evidence, collateral or policy.
 *
 * <p>Each subclass carries a stable machine-readable {@link #code()} (used as {@code error.code} in
 * the CLI's JSON) and says whether the failure is a problem with the input itself ({@link
 * #isInputError()}, CLI exit 2) or a negative verdict about well-formed input (exit 1). Messages
 * never contain key material.
 */
public abstract class AttestationException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  protected AttestationException(String message) {
    super(message);
  }

  protected AttestationException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A stable, upper-case code naming what failed, e.g. {@code QUOTE_FORMAT} or {@code TCB_LEVEL}.
   */
  @Override
  public abstract String code();

  /** True when the input could not be read at all (malformed), false for a negative verdict. */
  public abstract boolean isInputError();

  @Override
  public boolean isVerdict() {
    return !isInputError();
  }
}
