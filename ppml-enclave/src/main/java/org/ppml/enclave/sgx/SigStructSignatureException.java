package org.ppml.enclave.sgx;

import org.ppml.crypto.CodedFailure;

/**
 * A signature handed in for two-step signing does not verify over the SIGSTRUCT signed data under
 * the given public key (wrong key, wrong data, or a corrupted signature). Nothing is produced when
 * this is thrown.
 */
public final class SigStructSignatureException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  /**
   * @param message why the signature was rejected
   */
  public SigStructSignatureException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "sigstruct.signature";
  }

  @Override
  public boolean isVerdict() {
    return true;
  }
}
