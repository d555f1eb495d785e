package org.ppml.kms.store;

/**
 * The broker's storage failed or holds something it cannot read. Messages never carry key material.
 */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
