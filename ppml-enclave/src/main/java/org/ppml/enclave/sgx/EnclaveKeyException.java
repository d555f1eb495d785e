package org.ppml.enclave.sgx;

import org.ppml.crypto.CodedFailure;

/**
 * An enclave signing key cannot be used: it is not RSA, not 3072 bits, its public exponent is not
 * 3, or its PEM cannot be read. Messages describe the key's shape only, never its material.
 */
public final class EnclaveKeyException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong with the key, without any key material
   */
  public EnclaveKeyException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong with the key, without any key material
   * @param cause the underlying failure; its message must not carry key material either
   */
  public EnclaveKeyException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "enclave.key";
  }

  @Override
  public boolean isVerdict() {
    return false;
  }
}
