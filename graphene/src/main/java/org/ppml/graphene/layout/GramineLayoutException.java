package org.ppml.graphene.layout;

import org.ppml.crypto.CodedFailure;

/**
 * The areas of a Gramine enclave do not fit, e.g. the enclave size is too small for the threads.
 */
public final class GramineLayoutException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what does not fit, with sizes
   */
  public GramineLayoutException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "gramine.layout";
  }

  @Override
  public boolean isVerdict() {
    return false;
  }
}
