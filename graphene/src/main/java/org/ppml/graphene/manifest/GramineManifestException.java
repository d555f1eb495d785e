package org.ppml.graphene.manifest;

import org.ppml.crypto.CodedFailure;

/** A Gramine manifest cannot be read, or a setting in it is invalid. The message names the key. */
public final class GramineManifestException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the manifest key
   */
  public GramineManifestException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong
   * @param cause the parser's error
   */
  public GramineManifestException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "gramine.manifest";
  }

  @Override
  public boolean isVerdict() {
    return false;
  }
}
