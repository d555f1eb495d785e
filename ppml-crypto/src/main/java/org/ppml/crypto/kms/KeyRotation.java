package org.ppml.crypto.kms;

/**
 * The rotation capability of a {@link Kms}: new versions of a primary key, and moving data keys to
 * them. Only backends with key versions implement it (the local store, the PPML key broker with an
 * admin token). Ask for it with {@link KmsCapability#require}.
 */
public interface KeyRotation extends KeyAdministration {
  /** Adds a new version and makes it primary. Older versions still unwrap. */
  PrimaryKeyInfo rotateKey(String keyName) throws KmsException;

  /**
   * Re-wraps a data key under the newest version of {@code keyName}, without handing the data key
   * to the caller. Used by {@code ppml rewrap} after a rotation.
   */
  WrappedKey rewrap(WrappedKey wrapped, String keyName) throws KmsException;
}
