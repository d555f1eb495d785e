package org.ppml.crypto.kms;

/**
 * A key-management backend's data plane: the operations every backend implements, and all that
 * reading and writing PPML files needs. Implementations are found by URI through {@link
 * KmsRegistry}.
 *
 * <p>A new backend (HashiCorp Vault Transit, a cloud KMS) needs only these methods. Administration
 * is a set of separate capabilities that a backend implements only when it can really do it: {@link
 * KeyAdministration} (create, list, disable), {@link KeyRotation} (rotate, re-wrap) and {@link
 * KeyImport} (bring your own key); {@link ExplicitKeySource} releases keys that files name by id. A
 * caller asks for a capability with {@link KmsCapability#require}, which names the backend and the
 * operation when it is missing; no backend implements a method only to refuse it.
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

  /**
   * Unwraps a data key: {@code wrapped} names the key and version that wrapped it, and the wrap
   * must authenticate under exactly those ({@code UNWRAP_FAILED} otherwise).
   */
  DataKey unwrap(WrappedKey wrapped) throws KmsException;

  @Override
  default void close() throws KmsException {}
}
