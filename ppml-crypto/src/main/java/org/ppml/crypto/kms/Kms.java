package org.ppml.crypto.kms;

import java.util.List;

/**
 * A key-management backend. Implementations are found by URI through {@link KmsRegistry}.
 *
 * <p>Implementations must never put key material into exceptions, logs or {@code toString}.
 */
public interface Kms extends AutoCloseable {

  /**
   * The reference written into a file header's {@code kms} field. It names the backend and never
   * holds a secret.
   */
  String reference();

  /**
   * Whether a header's {@code kms} field names this backend. A reader never follows a header to
   * another KMS: it uses the one it was configured with, and only if this returns true. By default
   * only the exact {@link #reference()} matches.
   */
  default boolean matches(String headerReference) {
    return reference().equals(headerReference);
  }

  /** A fresh data key, in plaintext and wrapped under the newest version of {@code keyName}. */
  DataKey generateDataKey(String keyName) throws KmsException;

  /** A fresh data key in wrapped form only, for a caller that must never see key bytes. */
  WrappedKey generateWrappedDataKey(String keyName) throws KmsException;

  /** Unwraps a data key. */
  DataKey unwrap(WrappedKey wrapped) throws KmsException;

  /**
   * Re-wraps a data key under the newest version of {@code keyName}, without handing the data key
   * to the caller. Used by {@code ppml rewrap} after a rotation.
   */
  WrappedKey rewrap(WrappedKey wrapped, String keyName) throws KmsException;

  /** Creates a primary key with random material, version 1. */
  PrimaryKeyInfo createKey(String keyName) throws KmsException;

  /** Creates a primary key from existing material (bring your own key), version 1. */
  PrimaryKeyInfo importKey(String keyName, byte[] material) throws KmsException;

  List<PrimaryKeyInfo> listKeys() throws KmsException;

  /** Adds a new version and makes it primary. Older versions still unwrap. */
  PrimaryKeyInfo rotateKey(String keyName) throws KmsException;

  /** Disables a key: it neither wraps nor unwraps until re-enabled by an administrator. */
  void disableKey(String keyName) throws KmsException;

  @Override
  default void close() throws KmsException {}
}
