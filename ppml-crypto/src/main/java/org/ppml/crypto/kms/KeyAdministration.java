package org.ppml.crypto.kms;

import java.util.List;

/**
 * The administration capability of a {@link Kms}: creating, listing and disabling primary keys.
 * Only backends that administer their own keys implement it (the local store, the PPML key broker
 * with an admin token, eHSM); a KBS is administered with its own tools and does not. Ask for it
 * with {@link KmsCapability#require}.
 */
public interface KeyAdministration {
  /**
   * Creates a primary key with random material, version 1. A backend that names keys itself (eHSM)
   * ignores {@code keyName} and returns the name to use from then on.
   */
  PrimaryKeyInfo createKey(String keyName) throws KmsException;

  /** Every primary key, never its material. */
  List<PrimaryKeyInfo> listKeys() throws KmsException;

  /** Disables a key: it neither wraps nor unwraps until re-enabled by an administrator. */
  void disableKey(String keyName) throws KmsException;
}
